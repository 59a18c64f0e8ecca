"""Demo data: `flask demo-data` fills an empty (or demo) database with a realistic, fictional programme."""
