"""`{{ evidence|quality_source }}`: where a quality figure comes from, with its n, worded the same
on every page that shows one (evaluation.ratings.model_quality.source_label)."""

from django import template

from evaluation.ratings.model_quality import source_label

register = template.Library()
register.filter("quality_source", source_label)
