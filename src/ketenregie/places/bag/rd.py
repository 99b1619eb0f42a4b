"""Rijksdriehoeksmeting (RD, EPSG:28992) to WGS84 latitude and longitude.

The approximation by polynomial of Schreutelaar and Strang van Hees, as published for the RD system:
about a metre from the exact transformation inside the Netherlands, which is what an address map
needs. Coordinates outside the RD range are refused rather than extrapolated.
"""

from __future__ import annotations

X0, Y0 = 155_000.0, 463_000.0
LAT0, LON0 = 52.15517440, 5.38720621

# (p, q, coefficient): dX**p * dY**q, with dX, dY in units of 100 km.
LATITUDE_TERMS = (
    (0, 1, 3235.65389),
    (2, 0, -32.58297),
    (0, 2, -0.24750),
    (2, 1, -0.84978),
    (0, 3, -0.06550),
    (2, 2, -0.01709),
    (1, 0, -0.00738),
    (4, 0, 0.00530),
    (2, 3, -0.00039),
    (4, 1, 0.00033),
    (1, 1, -0.00012),
)
LONGITUDE_TERMS = (
    (1, 0, 5260.52916),
    (1, 1, 105.94684),
    (1, 2, 2.45656),
    (3, 0, -0.81885),
    (1, 3, 0.05594),
    (3, 1, -0.05607),
    (0, 1, 0.01199),
    (3, 2, -0.00256),
    (1, 4, 0.00128),
    (0, 2, 0.00022),
    (2, 0, -0.00022),
    (5, 0, 0.00026),
)


class OutsideRd(ValueError):
    pass


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) in degrees for RD coordinates in metres."""
    if not (-7_000 <= x <= 300_000 and 289_000 <= y <= 629_000):
        raise OutsideRd(f"({x}, {y}) lies outside the RD area")
    dx, dy = (x - X0) * 1e-5, (y - Y0) * 1e-5
    lat = LAT0 + sum(c * dx**p * dy**q for p, q, c in LATITUDE_TERMS) / 3600
    lon = LON0 + sum(c * dx**p * dy**q for p, q, c in LONGITUDE_TERMS) / 3600
    return round(lat, 7), round(lon, 7)
