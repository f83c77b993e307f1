"""The GraphQL API: strawberry schema, resolvers, DataLoaders and the ASGI app."""
