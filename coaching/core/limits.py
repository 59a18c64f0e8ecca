"""Rate limits for links that carry a secret: slow enough to stop guessing, generous for real people.

Kept in memory on one machine, in Redis (REDIS_URL) when several processes serve the app.
"""
LINK_LIMIT = "30 per minute"
# Calendar clients poll feeds; several people behind one office NAT share an address.
FEED_LIMIT = "120 per minute"
