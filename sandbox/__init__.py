"""Local stand-ins for the agency systems, speaking their real contracts.

Each agency is one aiohttp.web application on its own port, serving deterministic data derived
from the registry's codes, with fault injection and a request log behind ``/__admin``.
"""
