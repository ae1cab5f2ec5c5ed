"""Thematic projects (TPs) of the Natural Heritage Mission and solutions to transfer.

The projects are Interreg Euro-MED thematic projects of the mission; their summaries are short
paraphrases written for the demo, and the solutions are examples of the kind of results they
produce, not an official catalogue.
"""

import datetime
from collections import namedtuple

Project = namedtuple("Project", "acronym name website summary start_date end_date")
Sol = namedtuple("Sol", "title thematic_project solution_type summary transfer_levels tags")

LOCAL, REGIONAL, NATIONAL, INTERNATIONAL = "local", "regional", "national", "international"
D = datetime.date

THEMATIC_PROJECTS = [
    Project(
        "Artemis",
        "Artemis: accelerating the restoration of Posidonia seagrass meadows through their ecosystem services",
        "https://artemis.interreg-euro-med.eu/",
        "Restores and conserves seagrass meadows with pilot sites across the Euro-MED area, and "
        "brings the value of their ecosystem services into public and private decisions, "
        "including payments for ecosystem services.",
        D(2024, 1, 1),
        D(2026, 6, 30),
    ),
    Project(
        "Germ of Life",
        "Germ of Life: digital technologies for the preventive management of drought risk",
        "https://germoflife.interreg-euro-med.eu/",
        "Develops digital tools that forecast drought, assess the vulnerability of territories "
        "and ecosystems, and help authorities choose mitigation and adaptation measures.",
        D(2024, 1, 1),
        D(2026, 6, 30),
    ),
    Project(
        "MPA4Change",
        "MPA4Change: marine protected areas as nature-based solutions for adaptation to climate change",
        "https://mpa4change.interreg-euro-med.eu/",
        "Helps Mediterranean marine protected areas integrate climate change adaptation into "
        "their management, with ready-to-use toolkits, a policy dialogue and a roster of experts.",
        D(2024, 1, 1),
        D(2026, 4, 30),
    ),
    Project(
        "Wetland4Change",
        "Wetland4Change: wetlands as nature-based solutions against the effects of climate change",
        "https://wetland4change.interreg-euro-med.eu/",
        "Tests wetland restoration and management as nature-based solutions that reduce floods, "
        "heat and drought, in pilot sites across the Mediterranean.",
        D(2024, 1, 1),
        D(2026, 6, 30),
    ),
    Project(
        "StrategyMedFor",
        "StrategyMedFor: strategies for resilient Mediterranean forests",
        "https://strategymedfor.interreg-euro-med.eu/",
        "Works with forest owners and authorities on forest management that prevents wildfires "
        "and restores burnt areas with native species.",
        D(2024, 1, 1),
        D(2026, 6, 30),
    ),
    Project(
        "LocAll4Flood",
        "LocAll4Flood: local alliances for flood risk prevention",
        "https://locall4flood.interreg-euro-med.eu/",
        "Brings municipalities, citizens and researchers together to prevent floods with "
        "nature-based retention and local early warning.",
        D(2024, 1, 1),
        D(2026, 6, 30),
    ),
]

SOLUTIONS = [
    Sol("Posidonia restoration technical toolbox", "Artemis", "tool",
        "Protocols for every stage of seagrass restoration, from transplanting in degraded areas "
        "to enhancing protected meadows, with the monitoring that goes with them.",
        [LOCAL, REGIONAL], ["seagrass", "restoration", "Posidonia"]),
    Sol("Payments for ecosystem services of seagrass meadows", "Artemis", "methodology",
        "A cookbook for designing payment schemes in which businesses and public bodies fund the "
        "restoration of meadows they benefit from.",
        [LOCAL, REGIONAL, NATIONAL], ["seagrass", "payments for ecosystem services", "blue economy"]),
    Sol("Euro-MED action plan for seagrass restoration", "Artemis", "strategy",
        "Priorities and a map of opportunities for restoring seagrass meadows across the Euro-MED area.",
        [NATIONAL, INTERNATIONAL], ["seagrass", "policy"]),
    Sol("Drought risk prediction service", "Germ of Life", "tool",
        "Machine-learning forecasts of drought indicators and soil moisture, shown on a dashboard "
        "for water and land managers.",
        [REGIONAL, NATIONAL], ["drought", "early warning", "digital tools"]),
    Sol("Drought vulnerability assessment tool", "Germ of Life", "tool",
        "An open-source decision support system in which stakeholders assess together how "
        "exposed a territory and its ecosystems are to drought.",
        [LOCAL, REGIONAL], ["drought", "vulnerability", "decision support"]),
    Sol("Climate change adaptation toolkit for MPAs", "MPA4Change", "guidelines",
        "Risk assessment, monitoring and participatory methods that MPA managers use to put "
        "climate change adaptation into their management plans.",
        [LOCAL, REGIONAL], ["marine protected areas", "climate adaptation"]),
    Sol("Roster of MPA climate adaptation experts", "MPA4Change", "training",
        "Experts who coach MPA teams while they apply the toolkit, until 2030.",
        [INTERNATIONAL], ["marine protected areas", "capacity building"]),
    Sol("Action plan for Mediterranean MPAs facing climate change", "MPA4Change", "strategy",
        "A joint action plan that places marine protected areas at the front line of climate change adaptation.",
        [NATIONAL, INTERNATIONAL], ["marine protected areas", "policy"]),
    Sol("Coastal wetland restoration pilot for flood and heat mitigation", "Wetland4Change", "pilot_action",
        "Reconnecting a coastal lagoon to its wetlands to store flood water and cool the surrounding land.",
        [LOCAL], ["wetlands", "nature-based solutions", "floods"]),
    Sol("Wetland ecosystem services monitoring method", "Wetland4Change", "methodology",
        "Indicators and field protocols to measure the carbon, water and biodiversity benefits of restored wetlands.",
        [REGIONAL, NATIONAL], ["wetlands", "monitoring", "ecosystem services"]),
    Sol("Post-fire forest restoration guidelines", "StrategyMedFor", "guidelines",
        "How to restore burnt Mediterranean forest with native species and fewer future fire risks.",
        [LOCAL, REGIONAL], ["forests", "wildfires", "restoration"]),
    Sol("Native seed collection for forest restoration", "StrategyMedFor", "good_practice",
        "Community seed collection and nurseries that supply local genetic material for restoration.",
        [LOCAL], ["forests", "seeds", "native species"]),
    Sol("Local flood plans with nature-based retention", "LocAll4Flood", "policy_recommendation",
        "Recommendations for municipal flood plans that give space to rivers, retention ponds and green roofs.",
        [LOCAL, REGIONAL], ["floods", "nature-based solutions", "urban"]),
    Sol("Community flood early warning training", "LocAll4Flood", "training",
        "A training course for volunteers and municipal staff who run local flood early warning.",
        [LOCAL], ["floods", "early warning", "capacity building"]),
]  # fmt: skip
