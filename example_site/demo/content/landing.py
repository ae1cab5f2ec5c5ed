"""The Amplification Room page, its four working groups and the pages that list the rest.

Texts marked "source" are the mission's own words from the Amplification Room web page and
the slide deck on clusters (shared/seeds); the rest is written for the demo. Rich text uses
Wagtail's stored form: ``<a linktype="page" id="…">`` links to pages of the site.
"""

from collections import namedtuple

AR_SLUG = "amplification-room"
AR_TITLE = "The Amplification Room"
AR_SEO_TITLE = "The Amplification Room of the Natural Heritage Mission"
AR_SEARCH_DESCRIPTION = (
    "Where the Natural Heritage Mission's community of practice meets, shares solutions and "
    "opens to North and South Mediterranean actors: working groups, clusters, activities and map."
)


def page_link(page, text):
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def ar_intro(pages):
    """The introduction (source). ``pages`` maps "clusters", "activities" and "map" to pages."""
    return (
        "<p>The Amplification Room (AR) is the space where the core community – including the "
        "Natural Heritage Mission governance projects partners, the Associated Partners, as well "
        "as the Thematic Projects – comes together and opens to new external targets with the aim "
        "to facilitate transference in practice. These actors include target audiences for the "
        "thematic projects, as well as other interested North &amp; South Mediterranean actors.</p>"
        "<p>All people engaged can provide examples and solutions they developed, as well as "
        "benefit from those present. You can discover our community by finding the engaged "
        f"organisations in the {page_link(pages['map'], 'Mission’s map')}.</p>"
        "<p>The AR offers a “portfolio of services”, which are a variety of tailored in-person and "
        "online settings where the transference of solutions and knowledge can happen.</p>"
    )


def ar_body(pages):
    """The body: ``[(block type, value), …]`` for the landing page's StreamField."""
    clusters, activities, community_map = pages["clusters"], pages["activities"], pages["map"]
    return [
        ("rich_text",
         "<h2>Working groups</h2>"
         "<p>As a starting point, the Natural Heritage Mission created 4 thematic Working Groups "
         "engaging the Community of Practice as well as external actors in at least 2 activities per "
         "year with the aim to mainstream transferable solutions to other territories and into policy "
         "making processes at different levels (local, regional, national). The Working Groups will "
         "offer capacity building for policy and technical implementation, and advocate for "
         "influencing the Mediterranean policy sphere (mainly via the development of policy papers, "
         "sharing best practices and networking).</p>"
         "<h2>Clusters</h2>"
         "<p>To tackle the need for more specific dynamics, not possible to deliver through the "
         "overall thematic Working Groups, the AR offers the possibility for the community to create "
         "clusters. In the clustering activity we add specific effort to aid and amplify the transfer "
         "processes by clustering interested stakeholders with the aim of answering the concrete "
         "needs of the community.</p>"
         "<p>The outcomes of the clustering activities might be: the reporting of a transference or "
         "adoption success story regarding a TP solution, fruitful networking activities, providing "
         "answers to a specific problem, and concrete experiences to feed the policy statements "
         "built within the overall thematic Working Groups. Clusters will also be created "
         "specifically for delivering the peer review process of TP results.</p>"
         f"<p>{page_link(clusters, 'Browse the clusters created so far')}: geographical, thematic "
         "and peer-review clusters, with their reports.</p>"),
        # The page template groups the services under "Portfolio of services" and the FAQs
        # under "Frequently asked questions": the body brings no headings of its own for them.
        ("service", {
            "name": "Peer-to-peer exchange visit",
            "format": "in_person",
            "description": "<p>Visit a territory where a thematic project's solution is in use and "
                           "learn from the people who made it work: transfer by osmosis.</p>",
            "link": {"page": activities.pk, "url": "", "text": "Upcoming visits and meetings"},
        }),
        ("service", {
            "name": "Online clustering workshop",
            "format": "online",
            "description": "<p>A few hours online to define a cluster's question, its objectives "
                           "and its roadmap with the partners who want to join.</p>",
            "link": {"page": clusters.pk, "url": "", "text": "See existing clusters"},
        }),
        ("service", {
            "name": "Advice panel",
            "format": "hybrid",
            "description": "<p>Experts of the community and invited external partners give their "
                           "advice on a concrete challenge, in the room or online.</p>",
            "link": {"page": None, "url": "", "text": ""},
        }),
        ("service", {
            "name": "Sectoral multi-actor platform",
            "format": "hybrid",
            "description": "<p>Public authorities, protected areas, researchers, businesses and "
                           "NGOs of one sector meet regularly to build cross-cutting synergies.</p>",
            "link": {"page": community_map.pk, "url": "", "text": "Find organisations on the map"},
        }),
        ("faq", {
            "question": "What is a cluster?",
            "answer": "<p>A small working group with concrete objectives, answering to a specific "
                      "question, need or issue in the community. Clusters are result-based, have a "
                      "start and ending and a specific roadmap of activities. They are described in "
                      "a summary factsheet and reported to the CoP.</p>",
        }),
        ("faq", {
            "question": "Who can participate in a cluster?",
            "answer": "<p>The whole CoP is welcome to participate and foster the creation of "
                      "clusters. This includes C4N, D4N, APs, TPs, TPs' APs, and any person you "
                      "consider relevant to join as an external partner can be invited into a "
                      "cluster.</p>",
        }),
        ("faq", {
            "question": "Who leads a cluster?",
            "answer": "<p>Each cluster is followed up and led by an M4N partner (PP and TP "
                      "consortia) to ensure the correct development of the process.</p>",
        }),
        ("faq", {
            "question": "How long does a cluster last?",
            "answer": "<p>A cluster can be as short as one day, if the work can be finalised within "
                      "this period, or as long as the overall length of a project, if the cluster "
                      "has more stages or there is a certain deadline involved.</p>",
        }),
        ("faq", {
            "question": "Do I have to join a cluster?",
            "answer": "<p>No, it is not mandatory. Clusters address concrete needs, boost "
                      "opportunities and engage motivated people from our CoP, to work hands on "
                      "specific issues that cannot be tackled in big groups.</p>",
        }),
        ("call_to_action", {
            "heading": "Propose a cluster",
            "text": "Do you have a question, need or issue that a small group could answer? Tell the "
                    "Community4Nature team and find partners in the forum.",
            "link": {"page": clusters.pk, "url": "", "text": "How clusters work"},
        }),
    ]  # fmt: skip


WG = namedtuple("WG", "number slug title theme objectives body coordinators members")

_WG_OBJECTIVES = (
    "<p>Capacity building for policy and technical implementation on {topic}, policy papers that "
    "influence the Mediterranean policy sphere, sharing best practices and networking between "
    "the CoP and external actors.</p>"
    "<ul><li>At least 2 activities per year, in person or online.</li>"
    "<li>Mainstream transferable solutions of the thematic projects to other territories.</li>"
    "<li>Feed the experience of clusters into the working group's policy statements.</li></ul>"
)

WORKING_GROUPS = [
    WG(1, "wg1-connectivity-of-ecosystems", "WG1: Connectivity of ecosystems", "Connectivity of ecosystems",
       _WG_OBJECTIVES.format(topic="ecological corridors, wetland networks and marine connectivity"),
       "<p>Mediterranean ecosystems only stay healthy when they are connected: rivers to deltas, "
       "wetlands to the sea, protected areas to each other across borders. WG1 brings together "
       "those who map, plan and restore these links.</p>",
       ["HCWM", "ARNO"], ["SWPA", "MWPS", "LNWA", "CCPA", "TTNM", "EKWA", "OLWC", "BKBN", "ACMB"]),
    WG(2, "wg2-climate-change-mitigation-and-adaptation", "WG2: Climate change mitigation and adaptation",
       "Climate change mitigation and adaptation",
       _WG_OBJECTIVES.format(topic="marine protected areas, drought and climate risks"),
       "<p>The Mediterranean is warming faster than the world's average. WG2 helps managers of "
       "protected areas and territories use the thematic projects' tools to adapt, from drought "
       "forecasting to climate-smart MPA management.</p>",
       ["CMBM", "PIPA"], ["TAMO", "VBPL", "MMPA", "MACZ", "CIIE", "CRED", "ACCE", "LSFN", "ANDB", "IRAB", "NMCL", "IBEP"]),
    WG(3, "wg3-socio-economic-value-of-biodiversity", "WG3: Socio-economic value of biodiversity",
       "Socio-economic value of biodiversity",
       _WG_OBJECTIVES.format(topic="valuing ecosystem services and financing nature"),
       "<p>Nature pays back: fisheries, tourism, clean water and carbon storage all depend on it. "
       "WG3 works on how to value these services and bring them into public and private "
       "decisions, from payments for ecosystem services to local budgets.</p>",
       ["FPCM", "ZCES"], ["ANUN", "TRCO", "BIME", "VLNT", "ISTS", "SAKI", "BCEP", "MSAL", "AMRI"]),
    WG(4, "wg4-ecosystem-restoration-and-nature-based-solutions",
       "WG4: Ecosystem restoration and nature-based solutions", "Ecosystem restoration and nature-based solutions",
       _WG_OBJECTIVES.format(topic="restoring ecosystems and nature-based solutions in cities and the countryside"),
       "<p>From seagrass meadows to burnt forests and flood-prone cities, WG4 shares what works when "
       "restoring ecosystems and using nature-based solutions, and what policy makers need to "
       "scale them up.</p>",
       ["ACNI", "AVIG"], ["LGIO", "GURL", "OCEC", "KIBA", "ARBC", "LNBL", "LCNR", "ACRC", "HICA", "TCPO"]),
]  # fmt: skip

CLUSTER_INDEX = {
    "slug": "clusters",
    "title": "Clusters",
    "intro": (
        "<p>A cluster is a small working group with concrete objectives, answering to a specific "
        "question, need or issue in the community. Clusters are result-based, have a start and "
        "ending and a specific roadmap of activities; each is described in a summary factsheet "
        "and reported to the CoP.</p>"
        "<p>The main objectives of the clustering activities are transference and adoption of "
        "concrete TP results. Here are the geographical, thematic and peer-review clusters "
        "created so far, with their reports.</p>"
    ),
}

ACTIVITY_INDEX = {
    "slug": "activities",
    "title": "Activities",
    "intro": (
        "<p>Working group meetings, clustering activities, webinars and events of the "
        "Amplification Room. Each working group runs at least 2 activities per year.</p>"
    ),
}

COMMUNITY_MAP = {
    "slug": "community-map",
    "title": "Community map",
    "intro": (
        "<p>Discover our community by finding the engaged organisations: M4N partners, thematic "
        "projects and their associated partners, and external partners from the North and South "
        "Mediterranean.</p>"
    ),
}
