"""Partner organisations (Träger), regions with their federal state, and councils (Beiräte)."""
