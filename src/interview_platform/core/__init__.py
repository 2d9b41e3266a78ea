"""Business logic: the domain model and the services that use it."""
