"""oil-blends: massage-oil blend calculator and recipe service."""

__version__ = "0.1.0"
