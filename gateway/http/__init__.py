"""The HTTP face of the gateway: GraphQL over HTTP, GraphiQL, health."""
