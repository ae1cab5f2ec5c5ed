"""The organisations of the community map: invented names in real cities of both shores.

Each entry is ``(acronym, name, organisation type, community roles, city, thematic projects,
description)``. The acronym is how the rest of the demo content names an organisation.
Roles and types are the stored values of ``wagtail_ar.models.CommunityRole`` and
``OrganisationType``.
"""

from collections import namedtuple

Org = namedtuple(
    "Org", "acronym name organisation_type community_roles city thematic_projects description"
)

PP, C4N, D4N, TP, AP, TP_AP, EXT = "pp", "c4n", "d4n", "tp_partner", "ap", "tp_ap", "external"
AUTHORITY, PROTECTED, RESEARCH, NGO = "public_authority", "protected_area", "research", "ngo"
BUSINESS, AGENCY, INTERNATIONAL = "business", "sectoral_agency", "international"

ORGANISATIONS = [
    # M4N partners (PP) of the two governance projects: C4N runs the Amplification Room, D4N
    # the institutional dialogue.
    Org("FPCM", "Mediterranean Coastal Heritage Foundation", NGO, [PP, C4N], "Málaga", [],
        "Community4Nature partner that runs the Amplification Room: clusters, the forum and the "
        "portfolio of services."),
    Org("CMBM", "Marseille Centre for Mediterranean Biodiversity", RESEARCH, [PP, C4N], "Marseille", [],
        "Research centre building the community of practice and its catalogue of transferable solutions."),
    Org("ACNI", "Adriatic Coastal Nature Institute", RESEARCH, [PP, C4N], "Piran", [],
        "Coordinates peer review of thematic project results for the Community4Nature project."),
    Org("HCWM", "Hellenic Centre for Wetland Management", RESEARCH, [PP, C4N], "Thessaloniki", [],
        "Wetland science and training; facilitates capacity building in the working groups."),
    Org("AVIG", "Valencian Agency for Green Infrastructure", AUTHORITY, [PP, D4N], "Valencia", [],
        "Regional public agency carrying solutions into policy through the institutional dialogue."),
    Org("SREA", "Sicilian Regional Environment Agency", AUTHORITY, [PP, D4N], "Palermo", [],
        "Regional authority that links the mission's policy papers to regional planning."),
    Org("TIEP", "Tirana Institute of Environmental Policy", RESEARCH, [PP, D4N], "Tirana", [],
        "Policy institute supporting the institutional dialogue with the Western Balkans."),
    # Thematic project (TP) partners
    Org("ANUN", "Athens Network for Urban Nature", NGO, [TP], "Athens", ["Artemis"],
        "Civil society network working on payments for ecosystem services of seagrass meadows."),
    Org("BIME", "Balearic Institute of Marine Ecology", RESEARCH, [TP], "Palma", ["Artemis"],
        "Marine ecologists testing Posidonia transplantation protocols."),
    Org("ARBC", "Apulian Rural Biodiversity Centre", RESEARCH, [TP], "Bari", ["Germ of Life"],
        "Agronomists who turn drought indicators into advice for farmers."),
    Org("CRED", "Cretan Regional Environment Directorate", AUTHORITY, [TP], "Heraklion", ["Germ of Life"],
        "Regional directorate piloting drought risk monitoring on Crete."),
    Org("CIIE", "Cyprus Institute for Island Ecology", RESEARCH, [TP], "Nicosia", ["Germ of Life"],
        "Island ecology and climate research, host of the drought vulnerability pilot."),
    Org("ACCE", "Algarve Centre for Coastal Ecosystems", RESEARCH, [TP], "Faro", ["Germ of Life", "MPA4Change"],
        "Coastal research centre working on lagoons, MPAs and drought."),
    Org("PIPA", "Split-Dalmatia Public Institution for Protected Areas", PROTECTED, [TP], "Split", ["MPA4Change"],
        "Manages the protected areas of the Dalmatian coast and islands."),
    Org("TAMO", "Tuscan Archipelago Marine Observatory", RESEARCH, [TP], "Livorno", ["MPA4Change"],
        "Monitors climate change impacts in the marine protected areas of the Tuscan islands."),
    Org("VBPL", "Vlora Bay Protected Landscape Administration", PROTECTED, [TP], "Vlorë", ["MPA4Change"],
        "Manages the protected landscape and marine area of the Bay of Vlorë."),
    Org("ARNO", "Occitanie Regional Nature Agency", AUTHORITY, [TP], "Montpellier", ["Wetland4Change"],
        "Regional agency restoring coastal lagoons and wetlands as nature-based solutions."),
    Org("SWPA", "Sardinian Wetlands Park Authority", PROTECTED, [TP], "Cagliari", ["Wetland4Change"],
        "Manages the lagoons and salt pans around Cagliari."),
    Org("OCEC", "Corsican Office for Coastal Environment", AGENCY, [TP], "Ajaccio", ["StrategyMedFor"],
        "Sectoral agency for coastal forests and post-fire restoration."),
    Org("LGIO", "Ljubljana Green Infrastructure Office", AUTHORITY, [TP], "Ljubljana", ["LocAll4Flood"],
        "City office designing green infrastructure against urban floods."),
    Org("GURL", "Genoa Urban Resilience Lab", RESEARCH, [TP], "Genoa", ["LocAll4Flood"],
        "University lab modelling flash floods and nature-based retention."),
    # Associated Partners (AP) of the mission
    Org("MWPS", "Mediterranean Wetlands Partnership Secretariat", INTERNATIONAL, [AP, TP_AP], "Arles",
        ["Wetland4Change"], "International secretariat of a partnership for Mediterranean wetlands."),
    Org("CCPA", "Catalan Coast Protected Areas Consortium", PROTECTED, [AP], "Cadaqués", [],
        "Consortium of the protected areas of the northern Catalan coast."),
    Org("HICA", "Hyères Islands Conservation Association", NGO, [AP], "Hyères", [],
        "Volunteers and rangers caring for the Hyères islands."),
    Org("ZCES", "Zagreb Centre for Ecosystem Services", RESEARCH, [AP, TP_AP], "Zagreb", ["LocAll4Flood"],
        "Economists and ecologists valuing ecosystem services."),
    Org("MMPA", "Maltese Marine Protected Areas Authority", AUTHORITY, [AP, TP_AP], "Valletta", ["MPA4Change"],
        "National authority for the marine protected areas of the Maltese islands."),
    Org("TCPO", "Tunisian Coastal Protection Observatory", AGENCY, [AP], "Tunis", [],
        "Public observatory of coastal erosion and coastal ecosystems."),
    # Associated Partners of thematic projects (TP's AP)
    Org("VLNT", "Venice Lagoon Nature Trust", NGO, [TP_AP], "Venice", ["Artemis"],
        "Trust restoring seagrass and salt marshes in the Venice lagoon."),
    Org("ISTS", "Ionian Islands Sea Turtle Society", NGO, [TP_AP], "Zakynthos", ["Artemis"],
        "Protects loggerhead turtle nesting beaches and the meadows they feed on."),
    Org("TRCO", "Thalassa Restoration Consultancy", BUSINESS, [TP_AP], "Athens", ["Artemis"],
        "Small company that plans and monitors seagrass restoration."),
    Org("KIBA", "Kvarner Islands Biodiversity Association", NGO, [TP_AP], "Rijeka", ["StrategyMedFor"],
        "Association for the forests and dry grasslands of the Kvarner islands."),
    Org("MACZ", "Montenegrin Agency for Coastal Zone Management", AUTHORITY, [TP_AP], "Budva", ["MPA4Change"],
        "Public agency planning the coastal zone of Montenegro."),
    Org("LNWA", "Lower Neretva Wetlands Association", NGO, [TP_AP], "Čapljina", ["Wetland4Change"],
        "Local association of the Neretva delta wetlands."),
    Org("LSFN", "Larnaca Salt Lake Friends Network", NGO, [TP_AP], "Larnaca", ["Germ of Life"],
        "Citizens monitoring the Larnaca salt lake and its water balance."),
    # External partners invited into clusters, from the North and South Mediterranean
    Org("MSAL", "Murcia Seagrass Alliance", NGO, [EXT], "Cartagena", [],
        "Fishers, divers and schools protecting the seagrass of the Murcian coast."),
    Org("LNBL", "Lisbon Nature-Based Solutions Lab", RESEARCH, [EXT], "Lisbon", [],
        "Urban lab testing nature-based solutions with municipalities."),
    Org("NMCL", "Naples Marine Conservation Lab", RESEARCH, [EXT], "Naples", [],
        "Marine biologists studying the Gulf of Naples."),
    Org("BKBN", "Boka Kotorska Bay Nature Association", NGO, [EXT], "Kotor", [],
        "Association for the nature and landscape of the Bay of Kotor."),
    Org("OLWC", "Ohrid Lake Watershed Council", AUTHORITY, [EXT], "Ohrid", [],
        "Inter-municipal council for the Ohrid lake watershed."),
    Org("TTNM", "Tangier-Tetouan Network for Mediterranean Nature", NGO, [EXT], "Tétouan", [],
        "Network of associations along the Moroccan shore of the Strait of Gibraltar."),
    Org("AHCP", "Al Hoceima Coastal Park Association", NGO, [EXT], "Al Hoceima", [],
        "Association supporting the coastal park and its small-scale fishers."),
    Org("IRAB", "Rabat Institute for Agro-Biodiversity Research", RESEARCH, [EXT], "Rabat", [],
        "Research on drought-tolerant native crops and seed banks."),
    Org("ACMB", "Algiers Centre for Marine Biodiversity", RESEARCH, [EXT], "Algiers", [],
        "Research centre surveying the Algerian coast."),
    Org("EKWA", "El Kala Wetlands Association", NGO, [EXT], "El Kala", [],
        "Association for the lakes and wetlands around El Kala."),
    Org("SAKI", "Sfax Association for the Kerkennah Islands", NGO, [EXT], "Sfax", [],
        "Association for the seagrass, fisheries and traditions of the Kerkennah islands."),
    Org("AMRI", "Alexandria Mediterranean Research Institute", RESEARCH, [EXT], "Alexandria", [],
        "Research on the Nile delta coast and its lagoons."),
    Org("BCEP", "Beirut Centre for Environmental Policy", RESEARCH, [EXT], "Beirut", [],
        "Think tank on environmental governance in the Levant."),
    Org("LCNR", "Lebanese Coastal Nature Reserves Committee", PROTECTED, [EXT], "Tyre", [],
        "Committee managing a coastal nature reserve in southern Lebanon."),
    Org("ANDB", "Amman Network for Dryland Biodiversity", NGO, [EXT], "Amman", [],
        "Network for dryland ecosystems, rangelands and water."),
    Org("IBEP", "İzmir Bay Ecosystem Platform", NGO, [EXT], "İzmir", [],
        "Multi-actor platform for the ecological health of İzmir Bay."),
    Org("ACRC", "Antalya Coastal Research Centre", RESEARCH, [EXT], "Antalya", [],
        "Coastal and forest research on the Turkish Mediterranean coast."),
]  # fmt: skip
