"""User account administration (admins): create accounts with a role and organisation, deactivate them."""
