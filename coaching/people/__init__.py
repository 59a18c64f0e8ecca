"""People we hold data on: Beirat members, parents, coaches, mentors; their consent records."""
