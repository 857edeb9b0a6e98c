"""The Scrapy side: fetch a unit's portal into the store. Never judges anything."""
