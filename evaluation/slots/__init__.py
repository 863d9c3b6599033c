"""The switchboard: an admin-styled page to see and switch the models serving each slot."""
