"""A decentralised roaming network, as the Open Charging Network runs it: protocol-neutral pieces shared by the
reference network (registry, nodes, services) and the checks that judge a node or a party on such a network."""
