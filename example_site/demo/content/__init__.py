"""The demo content of the example site, written as Python data.

Everything here is invented for the demo except the mission's own vocabulary and texts, the
names of the Interreg Euro-MED thematic projects and the coordinates of real cities. The
organisations are plausible but fictitious: none of them speaks for a real body.

Modules, in the order ``load_demo`` uses them:

- ``places``: cities with their country, coordinates and time zone;
- ``organisations``: the organisations of the community map;
- ``projects``: thematic projects (TPs) and their solutions;
- ``landing``: the Amplification Room page, its working groups and the index pages;
- ``clusters``: cluster factsheets and their reports, dated relative to today;
- ``activities``: working group meetings, webinars and events, dated relative to today.
"""
