"""geoscout: turn a geographic question into a sourced map with a team of smolagents code agents."""

__version__ = "0.1.0"
