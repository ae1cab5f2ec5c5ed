"""The demo forum: a few published needs and offers, one answered by a cluster.

The addresses are on example.org (reserved for examples): they are never shown on the site.
"""

from collections import namedtuple

FORUM = {
    "slug": "forum",
    "title": "Forum",
    "intro": (
        "<p>Tell the community who you are and what you need or offer. Needs that several "
        "members share often become a cluster.</p>"
    ),
}

Post = namedtuple(
    "Post", "kind title description name organisation country role themes email answered_by"
)

POSTS = [
    Post(
        "need",
        "Cheap seagrass monitoring for a small MPA",
        "Our marine protected area has two rangers. We need a monitoring protocol for Posidonia "
        "meadows that a small team can run twice a year.",
        "Ivana Horvat",
        "Javna ustanova Priroda",
        "HR",
        "external",
        [1],
        "ivana.horvat@example.org",
        "adriatic-mpa-climate-adaptation-exchange",
    ),
    Post(
        "offer",
        "Training on nature-based solutions for river restoration",
        "We can host two study visits a year on our restored river banks and share the "
        "technical specifications we used.",
        "Luis García",
        "Agencia de Medio Ambiente",
        "ES",
        "tp_partner",
        [4],
        "luis.garcia@example.org",
        None,
    ),
    Post(
        "need",
        "Valuing ecosystem services for a municipal budget",
        "A coastal municipality in Tunisia wants to put numbers on the services of its wetland "
        "to defend it in the budget. Who has a method?",
        "Sami Trabelsi",
        "Commune de Ghar El Melh",
        "TN",
        "external",
        [3],
        "sami.trabelsi@example.org",
        None,
    ),
]
