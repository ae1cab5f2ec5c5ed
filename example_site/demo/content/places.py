"""Cities of both shores of the Mediterranean: country code, latitude, longitude, time zone."""

from collections import namedtuple

Place = namedtuple("Place", "city country lat lng time_zone")

_PLACES = [
    # Spain
    Place("Málaga", "ES", 36.7213, -4.4214, "Europe/Madrid"),
    Place("Palma", "ES", 39.5696, 2.6502, "Europe/Madrid"),
    Place("Cadaqués", "ES", 42.2888, 3.2779, "Europe/Madrid"),
    Place("Valencia", "ES", 39.4699, -0.3763, "Europe/Madrid"),
    Place("Cartagena", "ES", 37.6257, -0.9966, "Europe/Madrid"),
    Place("Tarifa", "ES", 36.0143, -5.6044, "Europe/Madrid"),
    # Portugal
    Place("Faro", "PT", 37.0194, -7.9304, "Europe/Lisbon"),
    Place("Lisbon", "PT", 38.7223, -9.1393, "Europe/Lisbon"),
    # France
    Place("Marseille", "FR", 43.2965, 5.3698, "Europe/Paris"),
    Place("Montpellier", "FR", 43.6108, 3.8767, "Europe/Paris"),
    Place("Hyères", "FR", 43.1204, 6.1286, "Europe/Paris"),
    Place("Ajaccio", "FR", 41.9192, 8.7386, "Europe/Paris"),
    Place("Arles", "FR", 43.6766, 4.6278, "Europe/Paris"),
    # Italy
    Place("Livorno", "IT", 43.5485, 10.3106, "Europe/Rome"),
    Place("Palermo", "IT", 38.1157, 13.3615, "Europe/Rome"),
    Place("Bari", "IT", 41.1171, 16.8719, "Europe/Rome"),
    Place("Venice", "IT", 45.4408, 12.3155, "Europe/Rome"),
    Place("Genoa", "IT", 44.4056, 8.9463, "Europe/Rome"),
    Place("Cagliari", "IT", 39.2238, 9.1217, "Europe/Rome"),
    Place("Naples", "IT", 40.8518, 14.2681, "Europe/Rome"),
    # Slovenia, Croatia, Bosnia and Herzegovina, Montenegro, Albania, North Macedonia
    Place("Piran", "SI", 45.5285, 13.5683, "Europe/Ljubljana"),
    Place("Ljubljana", "SI", 46.0569, 14.5058, "Europe/Ljubljana"),
    Place("Split", "HR", 43.5081, 16.4402, "Europe/Zagreb"),
    Place("Zagreb", "HR", 45.8150, 15.9819, "Europe/Zagreb"),
    Place("Rijeka", "HR", 45.3271, 14.4422, "Europe/Zagreb"),
    Place("Čapljina", "BA", 43.1105, 17.6846, "Europe/Sarajevo"),
    Place("Kotor", "ME", 42.4247, 18.7712, "Europe/Podgorica"),
    Place("Budva", "ME", 42.2911, 18.8403, "Europe/Podgorica"),
    Place("Vlorë", "AL", 40.4661, 19.4914, "Europe/Tirane"),
    Place("Tirana", "AL", 41.3275, 19.8187, "Europe/Tirane"),
    Place("Ohrid", "MK", 41.1231, 20.8016, "Europe/Skopje"),
    # Greece, Cyprus, Malta
    Place("Thessaloniki", "GR", 40.6401, 22.9444, "Europe/Athens"),
    Place("Athens", "GR", 37.9838, 23.7275, "Europe/Athens"),
    Place("Heraklion", "GR", 35.3387, 25.1442, "Europe/Athens"),
    Place("Zakynthos", "GR", 37.7870, 20.8999, "Europe/Athens"),
    Place("Nicosia", "CY", 35.1856, 33.3823, "Asia/Nicosia"),
    Place("Larnaca", "CY", 34.9003, 33.6232, "Asia/Nicosia"),
    Place("Valletta", "MT", 35.8989, 14.5146, "Europe/Malta"),
    # South and East Mediterranean
    Place("Tétouan", "MA", 35.5785, -5.3684, "Africa/Casablanca"),
    Place("Al Hoceima", "MA", 35.2517, -3.9372, "Africa/Casablanca"),
    Place("Rabat", "MA", 34.0209, -6.8416, "Africa/Casablanca"),
    Place("Algiers", "DZ", 36.7538, 3.0588, "Africa/Algiers"),
    Place("El Kala", "DZ", 36.8956, 8.4431, "Africa/Algiers"),
    Place("Tunis", "TN", 36.8065, 10.1815, "Africa/Tunis"),
    Place("Sfax", "TN", 34.7406, 10.7603, "Africa/Tunis"),
    Place("Alexandria", "EG", 31.2001, 29.9187, "Africa/Cairo"),
    Place("Beirut", "LB", 33.8938, 35.5018, "Asia/Beirut"),
    Place("Tyre", "LB", 33.2705, 35.2038, "Asia/Beirut"),
    Place("Amman", "JO", 31.9454, 35.9284, "Asia/Amman"),
    Place("İzmir", "TR", 38.4237, 27.1428, "Europe/Istanbul"),
    Place("Antalya", "TR", 36.8969, 30.7133, "Europe/Istanbul"),
]

PLACES = {place.city: place for place in _PLACES}

COUNTRY_NAMES = {
    "AL": "Albania", "BA": "Bosnia and Herzegovina", "CY": "Cyprus", "DZ": "Algeria", "EG": "Egypt",
    "ES": "Spain", "FR": "France", "GR": "Greece", "HR": "Croatia", "IT": "Italy", "JO": "Jordan",
    "LB": "Lebanon", "MA": "Morocco", "ME": "Montenegro", "MK": "North Macedonia", "MT": "Malta",
    "PT": "Portugal", "SI": "Slovenia", "TN": "Tunisia", "TR": "Türkiye",
}  # fmt: skip


def address(city):
    """The address shown next to the map marker, such as "Málaga, Spain"."""
    place = PLACES[city]
    return f"{place.city}, {COUNTRY_NAMES[place.country]}"
