"""coach: a terminal meditation and deep-breathing coach that records pain before and after."""

__version__ = "0.1.0"
