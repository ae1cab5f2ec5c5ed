"""French and Arabic translations of part of the demo content (Wagtail's i18n).

Loaded by ``load_demo`` when the site has ``WAGTAIL_I18N_ENABLED`` and the language among its
``WAGTAIL_CONTENT_LANGUAGES``: the landing page, WG1, two clusters and two organisations. The
rest stays in English, which is what the package shows, in English, to French and Arabic readers
(the fallback to the default locale). Keys: the English page's slug, the organisation's acronym.
"""

PAGES = {
    "fr": {
        "amplification-room": {
            "title": "La Salle d’amplification",
            "seo_title": "La Salle d’amplification de la Mission Patrimoine naturel",
        },
        "wg1-connectivity-of-ecosystems": {
            "title": "GT1 : Connectivité des écosystèmes",
            "theme": "Connectivité des écosystèmes",
        },
        "adriatic-mpa-climate-adaptation-exchange": {
            "title": "Échange des gestionnaires d’AMP de l’Adriatique sur l’adaptation au climat",
            "summary": "Les gestionnaires d’aires marines protégées des deux rives de "
            "l’Adriatique ont testé ensemble la boîte à outils d’adaptation de MPA4Change.",
        },
        "southern-shore-wetlands-network": {
            "title": "Réseau des zones humides de la rive sud : Maroc, Algérie et Tunisie",
            "summary": "Un cluster géographique de gestionnaires de zones humides de la rive sud "
            "de la Méditerranée.",
        },
    },
    "ar": {
        "amplification-room": {
            "title": "غرفة التضخيم",
            "seo_title": "غرفة التضخيم لمهمة التراث الطبيعي",
        },
        "wg1-connectivity-of-ecosystems": {
            "title": "مجموعة العمل 1: ترابط النظم البيئية",
            "theme": "ترابط النظم البيئية",
        },
        "adriatic-mpa-climate-adaptation-exchange": {
            "title": "تبادل مديري المناطق البحرية المحمية في البحر الأدرياتيكي حول التكيف مع المناخ",
            "summary": "اختبر مديرو المناطق البحرية المحمية على ضفتي البحر الأدرياتيكي معاً "
            "مجموعة أدوات التكيف الخاصة بمشروع MPA4Change.",
        },
        "southern-shore-wetlands-network": {
            "title": "شبكة الأراضي الرطبة في الضفة الجنوبية: المغرب والجزائر وتونس",
            "summary": "تجمّع جغرافي لمديري الأراضي الرطبة على الضفة الجنوبية للبحر المتوسط.",
        },
    },
}

ORGANISATIONS = {
    "fr": {
        "FPCM": {
            "name": "Fondation pour le patrimoine côtier méditerranéen",
            "description": "Partenaire de Community4Nature qui anime la Salle d’amplification : "
            "clusters, forum et portefeuille de services.",
        },
        "CMBM": {
            "name": "Centre marseillais pour la biodiversité méditerranéenne",
            "description": "Centre de recherche qui construit la communauté de pratique et son "
            "catalogue de solutions transférables.",
        },
    },
    "ar": {
        "FPCM": {
            "name": "مؤسسة التراث الساحلي المتوسطي",
            "description": "شريك في مشروع Community4Nature يدير غرفة التضخيم: التجمعات "
            "والمنتدى وحافظة الخدمات.",
        },
        "CMBM": {
            "name": "مركز مرسيليا للتنوع البيولوجي المتوسطي",
            "description": "مركز بحثي يبني مجتمع الممارسة وفهرس الحلول القابلة للنقل.",
        },
    },
}
