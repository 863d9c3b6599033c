"""Where a provider's calls may go, and which secret they may carry (docs/security.md).

A provider row names an environment variable (`secret_env`) whose value is sent as its Bearer
token, and an address (`base_url`). Without limits, an operator could name DATABASE_URL or
DJANGO_SECRET_KEY and an address of their own, and the scheduled probe would send the secret
there; or point the product at an internal service and read its answers back in error messages.
So:

- `secret_env` must be a variable declared for providers: one of PROVIDER_SECRET_ENV_NAMES, or a
  name starting with PROVIDER_SECRET_ENV_PREFIX. Checked when a provider is saved, and again
  before every call (a row written before the rule, or by hand, still never reads another one).
- `base_url` must be https, to a public address. Hosts in PROVIDER_LOCAL_HOSTS (local engines:
  loopback by default) may use http and private addresses. Link-local and cloud metadata
  addresses are refused whatever the list says. A name is checked by what it resolves to when
  saved, when it resolves here.
- Error bodies reach error messages (LLMCall rows, probes, the switchboard) only from the hosts
  in PROVIDER_KNOWN_HOSTS; from any other host, only the status and size are kept.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

# Cloud metadata services, by name (their addresses are link-local, refused below).
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"}


class EndpointRefused(ValueError):
    """The message names what is wrong, in an operator's terms."""


def secret_env_allowed(name: str) -> bool:
    return name in settings.PROVIDER_SECRET_ENV_NAMES or (
        bool(settings.PROVIDER_SECRET_ENV_PREFIX) and name.startswith(settings.PROVIDER_SECRET_ENV_PREFIX)
        and len(name) > len(settings.PROVIDER_SECRET_ENV_PREFIX))


def check_secret_env(name: str) -> None:
    if name and not secret_env_allowed(name):
        allowed = ", ".join(sorted(settings.PROVIDER_SECRET_ENV_NAMES))
        raise EndpointRefused(
            f"{name} is not a provider secret variable: use one of {allowed}, or a name starting with "
            f"{settings.PROVIDER_SECRET_ENV_PREFIX} (the PROVIDER_SECRET_ENV_NAMES and PROVIDER_SECRET_ENV_PREFIX settings)")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def is_local_host(host: str) -> bool:
    return host in settings.PROVIDER_LOCAL_HOSTS


def check_base_url(url: str) -> None:
    if not url:
        return
    parts = urlsplit(url)
    host = host_of(url)
    if parts.scheme not in ("http", "https") or not host:
        raise EndpointRefused(f"{url!r} is not an http(s) address with a host")
    if parts.username or parts.password:
        raise EndpointRefused("an address with a user name or password in it: name the secret in secret_env instead")
    if host in METADATA_HOSTS:
        raise EndpointRefused(f"{host} is a cloud metadata service")
    for address in addresses(host):
        if address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved:
            raise EndpointRefused(f"{host} is a link-local, metadata or reserved address ({address})")
        if (address.is_private or address.is_loopback) and not is_local_host(host):
            raise EndpointRefused(
                f"{host} is a private or loopback address ({address}); a local engine's host must be listed in "
                f"the PROVIDER_LOCAL_HOSTS setting")
    if parts.scheme != "https" and not is_local_host(host):
        raise EndpointRefused(f"use https: plain http is only for the local hosts in PROVIDER_LOCAL_HOSTS, not {host}")


def addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The host as an address, or what its name resolves to here (nothing, when it does not)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(info[4][0].split("%")[0]))
        except ValueError:
            continue
    return found


def shows_error_bodies(url: str) -> bool:
    """Whether an error body from `url` may be quoted in an error message: a known provider's, or
    the inference engine's (ENGINE_URL is set by whoever runs the machine, not by a catalog row)."""
    return host_of(url) in settings.PROVIDER_KNOWN_HOSTS or url.startswith(f"{settings.ENGINE_URL}/")


def withheld(url: str, body: bytes | str) -> str:
    return f"(the response body, {len(body)} bytes, is not shown: {host_of(url) or 'this host'} is not in PROVIDER_KNOWN_HOSTS)"
