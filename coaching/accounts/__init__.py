"""User accounts, roles, login, logout and password reset."""
