"""Cluster factsheets and their reports.

Dates are offsets in days so that the mix of planned, active and completed clusters holds
whenever the demo is loaded: a cluster's ``start`` and ``end`` are days from today (``end`` is
``None`` while the end is open), its roadmap stages are days from the cluster's start, and a
report's ``day`` is days from today (never in the future).

Organisations are named by acronym (see ``organisations``), projects by acronym and solutions
by title (see ``projects``), working groups by number, places by city (see ``places``).
"""

from collections import namedtuple

Cluster = namedtuple(
    "Cluster",
    "slug title category summary question objectives expected_outcomes start end stages lead participants "
    "working_group thematic_projects solutions countries transfer_level tags city reports",
)
Stage = namedtuple("Stage", "title start end format description")
Report = namedtuple("Report", "slug title report_type day summary body")

IN_PERSON, ONLINE, HYBRID = "in_person", "online", "hybrid"
TOOLKIT = "Climate change adaptation toolkit for MPAs"
ROSTER = "Roster of MPA climate adaptation experts"
SEAGRASS_TOOLBOX = "Posidonia restoration technical toolbox"
SEAGRASS_PES = "Payments for ecosystem services of seagrass meadows"
DROUGHT_PREDICTION = "Drought risk prediction service"
DROUGHT_VAT = "Drought vulnerability assessment tool"
WETLAND_PILOT = "Coastal wetland restoration pilot for flood and heat mitigation"
WETLAND_MONITORING = "Wetland ecosystem services monitoring method"


def _objectives(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _report_body(*sections):
    return "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in sections)


CLUSTERS = [
    # Geographical clusters
    Cluster(
        "adriatic-mpa-climate-adaptation-exchange", "Adriatic MPA managers' climate adaptation exchange",
        "geographical",
        "Managers of marine protected areas on both sides of the Adriatic tested the MPA4Change adaptation "
        "toolkit together and helped each other put it into their management plans.",
        "How can small Adriatic MPAs with few staff put climate change adaptation into their management plans?",
        _objectives("Train six MPA teams in the climate risk assessment of the toolkit.",
                    "Draft an adaptation chapter for at least three management plans.",
                    "Feed the lessons learnt into the WG2 policy paper on MPAs."),
        ["transference", "networking", "policy_input"], -420, -240,
        [Stage("Kick-off and needs assessment", 0, None, ONLINE, "Each MPA team presents its plan and its gaps."),
         Stage("Exchange visit to the Dalmatian islands", 40, 42, IN_PERSON, "Field days with the rangers of Split-Dalmatia."),
         Stage("Coaching by the roster of experts", 60, 140, ONLINE, "Monthly coaching calls per MPA team."),
         Stage("Closing meeting and report to the CoP", 175, 180, HYBRID, "Results presented to WG2.")],
        "PIPA", [("TAMO", "tp_partner"), ("VBPL", "tp_partner"), ("MACZ", "tp_ap"), ("ACNI", "c4n"), ("TIEP", "d4n"), ("BKBN", "external")],
        2, ["MPA4Change"], [TOOLKIT, ROSTER], ["HR", "SI", "ME", "AL", "IT"], "regional",
        ["marine protected areas", "climate adaptation", "Adriatic"], "Split",
        [Report("final-report", "Final report: six Adriatic MPAs on the way to adaptation", "final", -225,
                "Six MPA teams assessed their climate risks and three drafted an adaptation chapter for their plans.",
                _report_body(("What we did", "Four stages over six months: kick-off, an exchange visit, coaching and a closing meeting."),
                             ("What changed", "Three management plans now include an adaptation chapter; three more are in preparation."),
                             ("What comes next", "The teams keep meeting online every quarter within WG2."))),
         Report("success-story-vlora-bay", "Success story: Vlora Bay adopts the MPA adaptation toolkit", "success_story", -200,
                "The administration of the Vlora Bay protected landscape adopted the toolkit's risk assessment in its new plan.",
                _report_body(("The need", "Rising sea temperatures and new invasive species, with a small team and no adaptation plan."),
                             ("The transfer", "Coaching by peers from Split and Livorno, and the toolkit translated into Albanian."),
                             ("The result", "An adaptation chapter approved with the management plan, and a monitoring budget.")))],
    ),
    Cluster(
        "southern-shore-wetlands-network", "Southern shore wetlands network: Morocco, Algeria and Tunisia",
        "geographical",
        "Wetland managers and associations of the Maghreb meet European peers to monitor the services "
        "their wetlands provide, using the Wetland4Change method.",
        "How can wetland managers of the South Mediterranean measure and defend the services of their wetlands?",
        _objectives("Bring together wetland managers from three Maghreb countries.",
                    "Test the Wetland4Change monitoring method in two southern sites.",
                    "Set up a lasting network with the northern wetland partners."),
        ["networking", "transference"], -90, 150,
        [Stage("Online kick-off", 0, None, ONLINE, "Partners present their wetlands and what they need."),
         Stage("Field visit to the El Kala wetlands", 45, 47, IN_PERSON, "Monitoring in the field with the local association."),
         Stage("Monitoring training", 100, 130, ONLINE, "Four online sessions on the indicators."),
         Stage("Closing meeting in Tunis", 235, 240, HYBRID, "Results and next steps of the network.")],
        "CMBM", [("ARNO", "tp_partner"), ("MWPS", "tp_ap"), ("TCPO", "ap"), ("EKWA", "external"), ("ACMB", "external"),
                 ("SAKI", "external"), ("TTNM", "external")],
        1, ["Wetland4Change"], [WETLAND_MONITORING, WETLAND_PILOT], ["MA", "DZ", "TN", "FR"], "international",
        ["wetlands", "South Mediterranean", "monitoring"], "Tunis",
        [Report("interim-report", "Interim report: first field visit in El Kala", "interim", -35,
                "Twelve participants from four countries tested the monitoring indicators in the El Kala wetlands.",
                _report_body(("Where we are", "The kick-off and the field visit took place; the online training starts next."),
                             ("First lessons", "Water level and bird counts are easy to collect; carbon needs lab support.")))],
    ),
    Cluster(
        "eastern-mediterranean-drought-resilience", "Eastern Mediterranean drought resilience",
        "geographical",
        "Authorities and researchers of Cyprus, Greece, Lebanon, Jordan and Egypt will test the Germ of Life "
        "drought tools on their own data.",
        "Can the drought forecasts and vulnerability assessments of Germ of Life serve the water-scarce East Mediterranean?",
        _objectives("Run the drought risk prediction on data from three new territories.",
                    "Assess the vulnerability of two ecosystems with local stakeholders.",
                    "Agree on a roadmap for adoption by at least one authority."),
        ["transference", "adoption", "specific_problem"], 45, 300,
        [Stage("Kick-off in Nicosia", 0, 1, IN_PERSON, "Partners meet the Germ of Life team."),
         Stage("Data preparation", 2, 90, ONLINE, "Each territory prepares its climate and soil data."),
         Stage("Vulnerability workshops", 120, 180, HYBRID, "One workshop per territory."),
         Stage("Adoption roadmap", 230, 255, ONLINE, "Agreement on who adopts what, and when.")],
        "CIIE", [("CRED", "tp_partner"), ("LSFN", "tp_ap"), ("HCWM", "c4n"), ("BCEP", "external"), ("ANDB", "external"),
                 ("LCNR", "external"), ("AMRI", "external")],
        2, ["Germ of Life"], [DROUGHT_PREDICTION, DROUGHT_VAT], ["CY", "GR", "LB", "JO", "EG"], "national",
        ["drought", "early warning", "Levant"], "Nicosia", [],
    ),
    Cluster(
        "strait-of-gibraltar-connectivity", "Both shores of the Strait of Gibraltar: connecting coastal habitats",
        "geographical",
        "Partners from Andalusia, northern Morocco and the Algarve map the coastal habitats that migratory "
        "species use on both shores, and plan how to keep them connected.",
        "Which coastal habitats on both shores of the Strait must be protected together to keep them connected?",
        _objectives("Draw a shared map of key coastal habitats on both shores.",
                    "Identify three pairs of sites to manage together.",
                    "Propose joint measures to the authorities through the institutional dialogue."),
        ["networking", "specific_problem", "policy_input"], -200, None,
        [Stage("Online kick-off", 0, None, ONLINE, "What each partner knows and monitors."),
         Stage("Joint visit to Tarifa and Tétouan", 30, 31, IN_PERSON, "Two days, one on each shore."),
         Stage("Shared habitat mapping", 60, None, ONLINE, "Ongoing: partners add their data to one map."),
         Stage("Proposal to the institutional dialogue", 320, None, HYBRID, "Joint measures presented to authorities.")],
        "FPCM", [("AVIG", "d4n"), ("ACCE", "tp_partner"), ("CCPA", "ap"), ("TTNM", "external"), ("AHCP", "external"),
                 ("IRAB", "external"), ("MSAL", "external")],
        1, ["MPA4Change", "Wetland4Change"], [TOOLKIT], ["ES", "MA", "PT"], "international",
        ["connectivity", "Strait of Gibraltar", "migratory species"], "Tarifa",
        [Report("interim-report", "Interim report: a shared map of coastal habitats", "interim", -60,
                "After the joint visit, partners from both shores started one map of the habitats they monitor.",
                _report_body(("Where we are", "Forty sites are on the shared map; the pairs of sites will be chosen next."),
                             ("What we need", "Data on seagrass in northern Morocco, and a GIS volunteer.")))],
    ),
    # Thematic clusters
    Cluster(
        "seagrass-payments-for-ecosystem-services", "Payments for ecosystem services for seagrass meadows",
        "thematic",
        "Businesses, NGOs and authorities designed payment schemes that fund seagrass restoration with the "
        "Artemis cookbook, and two of them signed one.",
        "Who benefits from healthy seagrass meadows, and how can they pay for their restoration?",
        _objectives("Present the Artemis payments for ecosystem services cookbook to new territories.",
                    "Design two local payment schemes with businesses that benefit from the meadows.",
                    "Write a policy input for WG3 on financing nature restoration."),
        ["transference", "adoption", "policy_input"], -500, -300,
        [Stage("Webinar on the cookbook", 0, None, ONLINE, "The Artemis team presents the method."),
         Stage("Design workshops", 30, 120, HYBRID, "One workshop per territory with local businesses."),
         Stage("Signing and report", 190, 200, IN_PERSON, "Signature of the first schemes.")],
        "ANUN", [("BIME", "tp_partner"), ("TRCO", "tp_ap"), ("VLNT", "tp_ap"), ("ZCES", "ap"), ("FPCM", "c4n"),
                 ("MSAL", "external"), ("SAKI", "external")],
        3, ["Artemis"], [SEAGRASS_PES, SEAGRASS_TOOLBOX], ["GR", "ES", "IT", "TN"], "regional",
        ["seagrass", "payments for ecosystem services", "blue economy"], None,
        [Report("final-report", "Final report: payment schemes for seagrass meadows", "final", -285,
                "Four territories designed a scheme; two were signed, in Murcia and Venice.",
                _report_body(("What we did", "A webinar, four design workshops and a signing event."),
                             ("Results", "Two schemes signed, two more under negotiation."))),
         Report("success-story-murcia", "Success story: Murcian dive centres fund seagrass restoration", "success_story", -240,
                "Eleven dive centres of the Murcian coast now pay into a fund that restores the meadows they dive in.",
                _report_body(("The need", "Anchoring and storms had damaged the meadows near the most visited dive sites."),
                             ("The transfer", "The Artemis cookbook adapted with the Murcia Seagrass Alliance."),
                             ("The result", "A fund of 40,000 euros per year and two hectares under restoration."))),
         Report("policy-input", "Policy input: financing seagrass restoration", "policy_input", -210,
                "Recommendations to WG3 on bringing the value of seagrass meadows into public and private budgets.",
                _report_body(("Recommendations", "Recognise payments for ecosystem services in regional "
                              "funding rules, and let MPAs receive and manage such funds.")))],
    ),
    Cluster(
        "nature-based-solutions-urban-floods", "Nature-based solutions against urban floods",
        "thematic",
        "Cities and researchers compare nature-based retention measures and local early warning, with the "
        "LocAll4Flood recommendations as a starting point.",
        "Which nature-based measures reduce flash floods in dense Mediterranean cities, and how do cities plan them?",
        _objectives("Compare the flood plans of five cities.",
                    "Adapt the LocAll4Flood recommendations to two new cities.",
                    "Train volunteers in local early warning."),
        ["transference", "specific_problem"], -60, 120,
        [Stage("Kick-off", 0, None, ONLINE, "Five cities present their flood plans."),
         Stage("Study visit to Ljubljana", 35, 36, IN_PERSON, "Retention ponds and green streets."),
         Stage("Early warning training", 90, 110, ONLINE, "Three sessions for volunteers."),
         Stage("Closing workshop", 170, 180, HYBRID, "Plans and lessons presented to WG4.")],
        "LGIO", [("GURL", "tp_partner"), ("ZCES", "tp_ap"), ("ACNI", "c4n"), ("LNBL", "external"), ("OLWC", "external"),
                 ("IBEP", "external")],
        4, ["LocAll4Flood"], ["Local flood plans with nature-based retention", "Community flood early warning training"],
        ["SI", "IT", "HR", "PT", "MK", "TR"], "local", ["floods", "nature-based solutions", "urban"], "Ljubljana",
        [Report("interim-report", "Interim report: what five cities learnt in Ljubljana", "interim", -15,
                "The study visit showed how retention ponds, green streets and early warning work together.",
                _report_body(("Where we are", "Kick-off and study visit done; two cities started adapting their plans.")))],
    ),
    Cluster(
        "native-seeds-post-fire-restoration", "Native seeds for post-fire forest restoration",
        "thematic",
        "Forest services and associations will organise the collection of native seeds to restore burnt "
        "forests, following the StrategyMedFor guidelines.",
        "Where can restoration projects find native seeds of local origin after a large wildfire?",
        _objectives("Map existing seed banks and nurseries of native species.",
                    "Start community seed collection in three burnt areas.",
                    "Agree on shared rules for the origin of seeds."),
        ["transference", "networking"], 20, 200,
        [Stage("Kick-off", 0, None, ONLINE, "Partners and their burnt areas."),
         Stage("Seed collection campaign", 60, 120, IN_PERSON, "Volunteers collect seeds in three areas."),
         Stage("Shared rules and report", 170, 180, HYBRID, "Rules agreed and reported to WG4.")],
        "OCEC", [("KIBA", "tp_ap"), ("CRED", "tp_partner"), ("SREA", "d4n"), ("ACRC", "external"), ("IRAB", "external")],
        4, ["StrategyMedFor"], ["Post-fire forest restoration guidelines", "Native seed collection for forest restoration"],
        ["FR", "HR", "GR", "IT", "TR", "MA"], "regional", ["forests", "wildfires", "seeds"], "Ajaccio", [],
    ),
    Cluster(
        "drought-indicators-clinic", "One-day clinic: drought indicators for farmers' cooperatives",
        "thematic",
        "In one day, agronomists and cooperatives learnt to read the Germ of Life drought forecasts and "
        "decided how to use them in irrigation planning.",
        "How can farmers' cooperatives use drought forecasts to plan irrigation?",
        _objectives("Explain the drought indicators in plain words.",
                    "Test the forecasts on the cooperatives' own fields."),
        ["transference", "specific_problem"], -150, -150,
        [Stage("The clinic", 0, None, IN_PERSON, "A morning of explanations and an afternoon of exercises.")],
        "ARBC", [("CIIE", "tp_partner"), ("AVIG", "d4n"), ("IRAB", "external"), ("ANDB", "external")],
        2, ["Germ of Life"], [DROUGHT_PREDICTION], ["IT", "ES", "MA", "JO"], "local",
        ["drought", "agriculture"], "Bari",
        [Report("final-report", "Final report: drought indicators clinic", "final", -143,
                "Twenty-five participants; three cooperatives will use the forecasts next season.",
                _report_body(("What we did", "One day in Bari: the indicators, the dashboard and exercises."),
                             ("What comes next", "The cooperatives report back to WG2 after the season.")))],
    ),
    Cluster(
        "wetland-services-in-local-budgets", "Valuing wetland ecosystem services in local budgets",
        "thematic",
        "Municipalities learn to show the value of their wetlands in local budgets, with the Wetland4Change "
        "monitoring method.",
        "How can a municipality show in its budget what its wetlands are worth?",
        _objectives("Translate monitoring results into economic values.",
                    "Prepare a budget annex for two municipalities."),
        ["adoption", "policy_input"], -30, 60,
        [Stage("Kick-off", 0, None, ONLINE, "The method and the municipalities' budgets."),
         Stage("Valuation workshop", 40, 41, HYBRID, "Working on the numbers together."),
         Stage("Budget annexes", 60, 90, ONLINE, "Drafts reviewed by the partners.")],
        "AVIG", [("SWPA", "tp_partner"), ("LNWA", "tp_ap"), ("ZCES", "ap"), ("HCWM", "c4n"), ("EKWA", "external")],
        3, ["Wetland4Change"], [WETLAND_MONITORING], ["ES", "IT", "BA", "GR", "DZ"], "local",
        ["wetlands", "ecosystem services", "public finance"], None, [],
    ),
    # Peer-review clusters
    Cluster(
        "peer-review-mpa-adaptation-toolkit", "Peer review of the MPA climate adaptation toolkit",
        "peer_review",
        "MPA managers and marine scientists reviewed the MPA4Change toolkit before its release.",
        "Is the toolkit clear, complete and usable by small MPA teams?",
        _objectives("Review every chapter of the toolkit.", "Test two tools in real MPAs.",
                    "Send a review report to the MPA4Change partners."),
        ["peer_review"], -330, -270,
        [Stage("Reading and comments", 0, 30, ONLINE, "Reviewers comment the draft."),
         Stage("Tests in two MPAs", 31, 50, IN_PERSON, "Two tools tested in Malta and Hyères."),
         Stage("Review meeting", 60, None, ONLINE, "Reviewers and authors discuss the comments.")],
        "ACNI", [("PIPA", "tp_partner"), ("HICA", "ap"), ("CCPA", "ap"), ("NMCL", "expert"), ("ACMB", "expert"),
                 ("LCNR", "external")],
        2, ["MPA4Change"], [TOOLKIT], ["SI", "HR", "MT", "FR", "ES", "IT", "DZ", "LB"], "international",
        ["marine protected areas", "peer review"], None,
        [Report("peer-review-report", "Peer-review report: MPA climate adaptation toolkit", "peer_review", -256,
                "Reviewers found the toolkit useful and asked for simpler risk assessment forms and French and Arabic versions.",
                _report_body(("Strengths", "Clear steps and real examples from Mediterranean MPAs."),
                             ("Requests", "Shorter forms, translations and a glossary.")))],
    ),
    Cluster(
        "peer-review-seagrass-restoration-protocols", "Peer review of the seagrass restoration protocols",
        "peer_review",
        "Restoration practitioners from four countries review the Artemis restoration protocols.",
        "Do the Artemis protocols work in meadows other than the pilot sites?",
        _objectives("Review the protocols.", "Compare them with practice in four countries."),
        ["peer_review"], -20, 40,
        [Stage("Kick-off", 0, None, HYBRID, "The Artemis team presents the protocols."),
         Stage("Written review", 1, 40, ONLINE, "Reviewers comment the protocols.")],
        "HCWM", [("BIME", "tp_partner"), ("ISTS", "tp_ap"), ("TRCO", "tp_ap"), ("NMCL", "expert"), ("SAKI", "external"),
                 ("MSAL", "external")],
        4, ["Artemis"], [SEAGRASS_TOOLBOX], ["GR", "ES", "IT", "TN"], "international",
        ["seagrass", "restoration", "peer review"], None, [],
    ),
    Cluster(
        "peer-review-drought-vulnerability-tool", "Peer review of the drought vulnerability assessment tool",
        "peer_review",
        "Policy makers and researchers will review the Germ of Life vulnerability assessment tool.",
        "Does the vulnerability assessment tool answer the questions authorities ask during a drought?",
        _objectives("Review the tool with its future users.", "List the changes needed before transfer."),
        ["peer_review"], 60, 90,
        [Stage("Review workshop", 0, None, ONLINE, "The tool presented to reviewers."),
         Stage("Written review", 1, 30, ONLINE, "Comments collected.")],
        "SREA", [("CIIE", "tp_partner"), ("CRED", "tp_partner"), ("TIEP", "d4n"), ("BCEP", "expert"), ("ANDB", "external")],
        2, ["Germ of Life"], [DROUGHT_VAT], ["IT", "CY", "GR", "AL", "LB", "JO"], "national",
        ["drought", "decision support", "peer review"], None, [],
    ),
    Cluster(
        "peer-review-wetland-monitoring-method", "Peer review of the wetland ecosystem services monitoring method",
        "peer_review",
        "Wetland scientists and managers reviewed the Wetland4Change monitoring method.",
        "Are the indicators of the monitoring method robust and affordable?",
        _objectives("Review the indicators.", "Check their cost in three wetlands."),
        ["peer_review", "policy_input"], -250, -200,
        [Stage("Review workshop", 0, 1, HYBRID, "Two half-days in Montpellier and online."),
         Stage("Written review", 2, 50, ONLINE, "Comments and cost estimates.")],
        "ARNO", [("SWPA", "tp_partner"), ("MWPS", "tp_ap"), ("HCWM", "c4n"), ("AMRI", "expert"), ("EKWA", "external"),
                 ("OLWC", "external")],
        1, ["Wetland4Change"], [WETLAND_MONITORING], ["FR", "IT", "GR", "EG", "DZ", "MK"], "international",
        ["wetlands", "monitoring", "peer review"], "Montpellier",
        [Report("peer-review-report", "Peer-review report: wetland monitoring method", "peer_review", -190,
                "The indicators are robust; carbon measurements are too costly for small sites without lab support.",
                _report_body(("Strengths", "Indicators that managers already collect."),
                             ("Requests", "A low-cost option for carbon, and shared lab services."))),
         Report("policy-input", "Policy input: monitoring wetlands as nature-based solutions", "policy_input", -160,
                "How national monitoring programmes can count wetlands as nature-based solutions.",
                _report_body(("Recommendations", "Use common indicators and fund shared laboratories.")))],
    ),
]  # fmt: skip
