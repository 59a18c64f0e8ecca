"""The public download area for counselling materials."""
