"""The Open Charging Network (OCN): a decentralised network of OCPI hubs ("nodes"), a shared registry of parties,
and the OCN Notary with which parties and nodes sign what they send. Builds on OCPI (conformance.ocpi)."""
