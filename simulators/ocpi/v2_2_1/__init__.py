"""The OCPI 2.2.1 actors: module files (each registers its interfaces), the reference platforms and their data."""

VERSION = "2.2.1"
