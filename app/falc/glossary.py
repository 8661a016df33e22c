"""Default glossary: plain French explanations of the initials common in the social sector.

Keys are written as they appear in texts (capital letters). The analyser merges the glossary
given by a caller over this one, so an organisation can add or correct entries.
"""

from __future__ import annotations

DEFAULT_GLOSSARY: dict[str, str] = {
    # Money and benefits
    "RSA": "revenu de solidarité active",
    "AAH": "allocation aux adultes handicapés",
    "APL": "aide personnalisée au logement",
    "ALS": "allocation de logement sociale",
    "ALF": "allocation de logement familiale",
    "ASPA": "allocation de solidarité aux personnes âgées",
    "APA": "allocation personnalisée d'autonomie",
    "PCH": "prestation de compensation du handicap",
    "SMIC": "salaire minimum",
    "CMU": "couverture maladie universelle (aujourd'hui : complémentaire santé solidaire)",
    "CSS": "complémentaire santé solidaire",
    "AME": "aide médicale de l'État",
    "RQTH": "reconnaissance de la qualité de travailleur handicapé",
    "CMI": "carte mobilité inclusion",
    # Public bodies and services
    "CAF": "caisse d'allocations familiales",
    "CPAM": "caisse primaire d'assurance maladie",
    "MSA": "mutualité sociale agricole",
    "URSSAF": "organisme qui collecte les cotisations sociales",
    "MDPH": "maison départementale des personnes handicapées",
    "CCAS": "centre communal d'action sociale",
    "CIAS": "centre intercommunal d'action sociale",
    "ARS": "agence régionale de santé",
    "ASE": "aide sociale à l'enfance",
    "PMI": "protection maternelle et infantile",
    "SIAO": "service intégré d'accueil et d'orientation",
    "CHRS": "centre d'hébergement et de réinsertion sociale",
    "CADA": "centre d'accueil de demandeurs d'asile",
    "EHPAD": "maison de retraite médicalisée",
    "ESAT": "établissement et service d'aide par le travail",
    "IME": "institut médico-éducatif",
    "FAM": "foyer d'accueil médicalisé",
    "MAS": "maison d'accueil spécialisée",
    "SAVS": "service d'accompagnement à la vie sociale",
    "SAMSAH": "service d'accompagnement médico-social pour adultes handicapés",
    "INSEE": "institut national de la statistique",
    "CNIL": "commission nationale de l'informatique et des libertés",
    "France Travail": "le service public pour trouver un emploi (avant : Pôle emploi)",
    # Participation and social work
    "CRPA": "conseil régional des personnes accueillies et accompagnées",
    "CNPA": "conseil national des personnes accueillies et accompagnées",
    "HCTS": "Haut conseil du travail social",
    "CLTSDS": "comité local du travail social et du développement social",
    "IRTS": "institut régional du travail social",
    "EFTS": "établissement de formation en travail social",
    "VAE": "validation des acquis de l'expérience",
    "ASS": "assistante ou assistant de service social",
    "CESF": "conseillère ou conseiller en économie sociale et familiale",
    "ES": "éducatrice ou éducateur spécialisé",
    "FALC": "facile à lire et à comprendre",
    "CVS": "conseil de la vie sociale",
}
