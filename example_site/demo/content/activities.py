"""Activities: the Malaga Institutional dialogue event, working group meetings, clustering
activities and webinars.

``day`` is a ``datetime.date`` for an event with a fixed date, or an offset in days from today
so that there are always past and upcoming activities; ``days`` is how many days it lasts.
Times are local to ``city`` (in person and hybrid) or to ``time_zone`` (online). Organisations
are named by acronym, working groups by number, clusters by slug.
"""

import datetime
from collections import namedtuple

Activity = namedtuple(
    "Activity",
    "slug title day days start end format city time_zone venue summary body organisers working_group cluster",
)

IN_PERSON, ONLINE, HYBRID = "in_person", "online", "hybrid"


def activity(slug, title, day, start, end, format, summary, body, organisers, *, city=None, time_zone=None,
             venue="", days=1, working_group=None, cluster=None):  # fmt: skip
    return Activity(slug, title, day, days, start, end, format, city, time_zone, venue, summary, body,
                    organisers, working_group, cluster)  # fmt: skip


ACTIVITIES = [
    activity(
        "malaga-institutional-dialogue-event", "Malaga Institutional dialogue event", datetime.date(2024, 11, 29),
        "09:00", "17:30", IN_PERSON,
        "The institutional dialogue of the Natural Heritage Mission meets in Málaga, with clustering "
        "activities for the whole community of practice.",
        "<p>We look forward to meeting you in Malaga on the 29th of November 2024, where there will be "
        "interesting clustering activities.</p>"
        "<h2>Clustering activities</h2>"
        "<ul><li>What is a cluster? The Amplification Room presents clusters and clustering activities.</li>"
        "<li>Cluster speed-dating: thematic projects meet the authorities and actors who could adopt "
        "their solutions.</li>"
        "<li>First ideas for geographical clusters, such as both shores of the Strait of Gibraltar.</li></ul>"
        "<p>After this meeting, we'll share the presented material with WG participants.</p>",
        ["FPCM", "AVIG"], city="Málaga", venue="Conference hall of the Mediterranean Coastal Heritage Foundation",
    ),
    # Webinars of the Amplification Room
    activity(
        "webinar-how-to-create-a-cluster", "Webinar: how to create a cluster", -20, "11:00", "12:30", ONLINE,
        "What a cluster is, who can take part, and how to propose one: an hour and a half with the "
        "Community4Nature team.",
        "<p>Clusters are small, result-based working groups answering one question, need or issue of "
        "the community. Bring your idea: we will help you write its summary factsheet.</p>",
        ["FPCM"], time_zone="Europe/Madrid",
    ),
    activity(
        "webinar-portfolio-of-services", "Webinar: the portfolio of services of the Amplification Room", 14,
        "10:00", "11:30", ONLINE,
        "Exchange visits, online workshops, advice panels and multi-actor platforms: which setting fits "
        "your transfer?",
        "<p>A tour of the in-person and online settings where the transference of solutions and "
        "knowledge can happen, with examples from past clusters.</p>",
        ["FPCM", "CMBM"], time_zone="Europe/Madrid",
    ),
    activity(
        "forum-onboarding", "Forum onboarding: say who you are and what you need", 75, "15:00", "16:00", ONLINE,
        "A guided tour of the online forum, where interested parties introduce themselves and share what "
        "they need or offer.",
        "<p>New to the community? Join this short session to create your forum profile and find partners.</p>",
        ["FPCM"], time_zone="Europe/Madrid",
    ),
    # Clustering activities
    activity(
        "strait-of-gibraltar-joint-visit", "Strait of Gibraltar cluster: joint visit to Tarifa and Tétouan", -170,
        "09:30", "18:00", IN_PERSON,
        "Two days, one on each shore of the Strait, to see the coastal habitats the cluster maps.",
        "<p>Day one in Tarifa with the Andalusian partners; day two in Tétouan with the Moroccan network.</p>",
        ["FPCM", "TTNM"], city="Tarifa", venue="Tarifa harbour meeting room", days=2,
        cluster="strait-of-gibraltar-connectivity",
    ),
    activity(
        "urban-floods-study-visit-ljubljana", "Urban floods cluster: study visit to Ljubljana", -25,
        "09:00", "17:00", IN_PERSON,
        "Retention ponds, green streets and the city's early warning, visited with the people who run them.",
        "<p>A day in the field with the Ljubljana Green Infrastructure Office and the cluster partners.</p>",
        ["LGIO"], city="Ljubljana", venue="Ljubljana city hall", cluster="nature-based-solutions-urban-floods",
    ),
    activity(
        "seagrass-protocols-peer-review-kick-off", "Kick-off of the peer review of the seagrass restoration protocols",
        -20, "14:00", "17:00", HYBRID,
        "The Artemis team presents its restoration protocols to the reviewers, in Thessaloniki and online.",
        "<p>Reviewers receive the protocols and agree on the review questions and calendar.</p>",
        ["HCWM", "BIME"], city="Thessaloniki", venue="Hellenic Centre for Wetland Management",
        cluster="peer-review-seagrass-restoration-protocols",
    ),
    activity(
        "eastern-mediterranean-drought-kick-off", "Eastern Mediterranean drought resilience: kick-off in Nicosia", 45,
        "09:30", "17:00", IN_PERSON,
        "Partners from five countries meet the Germ of Life team to start the cluster.",
        "<p>Two days to present the drought tools, the partners' data and the cluster's roadmap.</p>",
        ["CIIE"], city="Nicosia", venue="Cyprus Institute for Island Ecology", days=2,
        cluster="eastern-mediterranean-drought-resilience",
    ),
]  # fmt: skip


def _wg_meetings(number, coordinators, meetings):
    for slug, title, day, format, city, time_zone, venue, summary in meetings:
        start, end = ("10:00", "13:00") if format == ONLINE else ("09:30", "17:00")
        body = (
            f"<p>{summary}</p><p>Open to the members of WG{number}, the community of practice and "
            "invited external actors. The material presented is shared with WG participants afterwards.</p>"
        )
        yield activity(slug, title, day, start, end, format, summary, body, coordinators, city=city,
                       time_zone=time_zone, venue=venue, working_group=number)  # fmt: skip


WG_MEETINGS = [
    (1, ["HCWM", "ARNO"], [
        ("wg1-mapping-ecological-corridors", "WG1 meeting: mapping ecological corridors", -200, IN_PERSON,
         "Thessaloniki", None, "Hellenic Centre for Wetland Management",
         "Partners compare the maps of corridors and wetland networks they use."),
        ("wg1-wetland-networks-across-borders", "WG1 webinar: wetland networks across borders", -45, ONLINE,
         None, "Europe/Athens", "", "How cross-border wetland networks are managed on both shores."),
        ("wg1-connectivity-in-marine-spatial-planning", "WG1 meeting: connectivity in marine spatial planning",
         40, HYBRID, "Montpellier", None, "Occitanie Regional Nature Agency",
         "How marine spatial plans can keep habitats connected."),
        ("wg1-connectivity-indicators", "WG1 capacity building: connectivity indicators", 180, ONLINE,
         None, "Europe/Paris", "", "Training on the indicators used to measure connectivity."),
    ]),
    (2, ["CMBM", "PIPA"], [
        ("wg2-mpas-front-line-climate-change", "WG2 meeting: MPAs at the front line of climate change", -195,
         IN_PERSON, "Split", None, "Split-Dalmatia Public Institution for Protected Areas",
         "MPA managers share how they adapt to warming seas."),
        ("wg2-drought-forecasting-for-authorities", "WG2 webinar: drought forecasting for authorities", -40,
         ONLINE, None, "Europe/Paris", "", "What drought forecasts can and cannot tell public authorities."),
        ("wg2-policy-paper-adaptation-coastal-plans", "WG2 policy paper workshop: adaptation in coastal plans",
         45, HYBRID, "Marseille", None, "Marseille Centre for Mediterranean Biodiversity",
         "Drafting the WG2 policy paper on climate adaptation in coastal plans."),
        ("wg2-heatwaves-and-marine-life", "WG2 meeting: marine heatwaves and marine life", 185, ONLINE,
         None, "Europe/Zagreb", "", "What the latest marine heatwaves did to Mediterranean species."),
    ]),
    (3, ["FPCM", "ZCES"], [
        ("wg3-what-is-nature-worth", "WG3 meeting: what is nature worth?", -190, HYBRID, "Zagreb", None,
         "Zagreb Centre for Ecosystem Services", "Methods to value ecosystem services, compared."),
        ("wg3-payments-for-ecosystem-services", "WG3 webinar: payments for ecosystem services", -35, ONLINE,
         None, "Europe/Madrid", "", "Examples of schemes in which beneficiaries pay for nature."),
        ("wg3-nature-in-local-budgets", "WG3 meeting: nature in local budgets", 50, IN_PERSON, "Málaga", None,
         "Mediterranean Coastal Heritage Foundation", "How municipalities show the value of nature in their budgets."),
        ("wg3-businesses-for-biodiversity", "WG3 networking: businesses for biodiversity", 190, ONLINE,
         None, "Europe/Madrid", "", "Companies that depend on biodiversity meet the thematic projects."),
    ]),
    (4, ["ACNI", "AVIG"], [
        ("wg4-restoring-seagrass-forests-rivers", "WG4 meeting: restoring seagrass, forests and rivers", -185,
         IN_PERSON, "Piran", None, "Adriatic Coastal Nature Institute",
         "Restoration practitioners compare what works in the sea, forests and rivers."),
        ("wg4-nature-based-solutions-in-cities", "WG4 webinar: nature-based solutions in cities", -30, ONLINE,
         None, "Europe/Ljubljana", "", "Cities present their nature-based solutions against floods and heat."),
        ("wg4-policy-paper-scaling-up-restoration", "WG4 policy paper workshop: scaling up restoration", 55,
         HYBRID, "Valencia", None, "Valencian Agency for Green Infrastructure",
         "Drafting the WG4 policy paper on scaling up ecosystem restoration."),
        ("wg4-post-fire-restoration-field-visit", "WG4 field visit: post-fire restoration in Corsica", 195,
         IN_PERSON, "Ajaccio", None, "Corsican Office for Coastal Environment",
         "A day in a burnt forest under restoration with native species."),
    ]),
]  # fmt: skip

for _number, _coordinators, _meetings in WG_MEETINGS:
    ACTIVITIES.extend(_wg_meetings(_number, _coordinators, _meetings))
