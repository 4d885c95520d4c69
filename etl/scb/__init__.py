"""SCB (Statistics Sweden) population, PxWeb API v2: denominators for rates."""
