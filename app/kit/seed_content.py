"""The ten fiches of the participation kit, as Parole's first version (2026).

This is NOT the text of the official HCTS kit ("kit de la participation citoyenne aux
politiques de solidarités"). Our seed documents give the kit's structure (ten fiches, three
phases, four parts: rapport d'activité du HCTS 2016-2021, lines 466-491) but not its text.
The subjects follow public copies of the kit; the text below was written for Parole from the
seed documents, and each fiche names the passages it draws on in `source`. Every fiche starts
with `verified=False`: an administrator ticks "verified" only after comparing it with the
official kit.

The four parts are simple HTML that app.core.sanitize.clean_html keeps as it is (`<p>`,
`<ul><li>`, `<strong>`); `easy` is the easy-to-read version: plain text, one idea per line,
a blank line between groups of ideas. The easy-to-read versions have not been proofread by
people with an intellectual disability yet: they are not "FALC" until they are.

Line numbers in `source` refer to the seed texts: "Rapport d'activité du HCTS 2016-2021"
(seeds/001) and "Livre blanc du travail social, HCTS 2023" (seeds/004).

Migration 0009 imports this module to insert the fiches; `app.kit.fiches.ensure_seeded()`
inserts the missing ones and never overwrites a fiche that exists.
"""

from __future__ import annotations

from typing import Any

EDITION = "Parole, première version 2026"

RAPPORT = "Rapport d'activité du HCTS 2016-2021"
LIVRE_BLANC = "Livre blanc du travail social (HCTS, 2023)"

FICHES: list[dict[str, Any]] = [
    {
        "number": 1,
        "phase": "before",
        "title": "Faire l'état des lieux de l'existant",
        "why": (
            "<p>Avant de lancer une démarche de participation, il faut savoir ce qui existe "
            "déjà. Sur un même territoire, des personnes accompagnées participent souvent déjà "
            "quelque part : conseil de la vie sociale, conseil régional des personnes "
            "accueillies ou accompagnées (CRPA), comité local du travail social, groupe de "
            "travail d'un département.</p>"
            "<p>Le groupe de travail du Haut Conseil du travail social (HCTS) sur la "
            "participation a commencé par là : <strong>identifier les instances où les "
            "personnes accompagnées devraient être représentées mais ne le sont pas "
            "encore</strong>, ou le sont dans des conditions qui ne répondent pas complètement "
            "à leurs attentes.</p>"
            "<p>Le Livre blanc du travail social (2023) constate qu'il reste « un écart non "
            "négligeable entre les objectifs poursuivis et la réalité des pratiques ». L'état "
            "des lieux sert à mesurer cet écart chez vous, à ne pas refaire ce qui marche déjà, "
            "et à choisir où agir en premier.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Faites la liste des lieux où l'on décide</strong> de choses qui "
            "concernent les personnes accompagnées : instances, comités de pilotage, projets "
            "d'établissement ou de service, formations des travailleurs sociaux. Ce sont les "
            "trois niveaux de participation promus par le HCTS.</li>"
            "<li>Pour chaque lieu, notez : des personnes concernées sont-elles présentes ? "
            "Combien ? Sont-elles distinctes des associations qui les représentent ? Reçoivent-"
            "elles les documents à l'avance ? Leurs frais sont-ils pris en charge ? Ont-elles "
            "réellement la parole ?</li>"
            "<li>Repérez les initiatives et les espaces d'échange déjà actifs, et les "
            "structures qui accueillent des personnes qui pourraient être intéressées.</li>"
            "<li><strong>Faites cet état des lieux avec les personnes</strong>, pas seulement "
            "sur elles : demandez-leur où elles veulent être entendues et ce qui les a "
            "découragées par le passé.</li>"
            "<li>Écrivez le résultat en quelques pages, en langage simple, avec trois ou "
            "quatre priorités.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Un tableau simple suffit : une ligne par instance, une colonne par question "
            "de la partie « Comment procéder ? ». Dans Parole :</p>"
            "<ul>"
            "<li>un <strong>tour de consultation</strong> court permet de demander aux "
            "personnes où elles veulent participer. Elles répondent en ligne, sur un "
            "<strong>questionnaire papier avec un code</strong>, ou avec un animateur qui "
            "<strong>saisit leurs réponses avec leur accord</strong> ;</li>"
            "<li>les <strong>résultats</strong> et l'<strong>évaluation de la "
            "participation</strong> des tours précédents montrent ce qui a manqué : "
            "compréhension, prise de parole, frais, changements visibles ;</li>"
            "<li>le <strong>téléchargement des réponses sans les noms</strong> (fichier CSV) "
            "aide à écrire la synthèse.</li>"
            "</ul>"
            "<p>Les comités locaux du travail social et du développement social (CLTSDS) et "
            "les CRPA connaissent souvent bien le paysage local : associez-les dès le "
            "départ.</p>"
        ),
        "success_factors": (
            "<ul>"
            "<li><strong>Associer les personnes concernées au diagnostic.</strong> Le Livre "
            "blanc propose d'« associer systématiquement les professionnels et les personnes "
            "concernées à la réalisation des diagnostics et des projets de territoire ».</li>"
            "<li>Être honnête sur ce qui ne marche pas : un siège prévu dans une instance ne "
            "suffit pas si la personne n'y prend jamais la parole.</li>"
            "<li>Rester court : l'état des lieux prépare l'action, il ne la remplace pas.</li>"
            "<li>Rendre le résultat à tous ceux qui y ont contribué, dans une version facile "
            "à lire.</li>"
            "<li>Le mettre à jour chaque année, au moment de l'évaluation (fiche 9).</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment commencer.\n"
            "Les personnes accompagnées sont les personnes aidées par un service social.\n"
            "\n"
            "Avant de faire participer des personnes, regardez ce qui existe déjà.\n"
            "Faites la liste des réunions qui décident pour les personnes accompagnées.\n"
            "\n"
            "Pour chaque réunion, posez ces questions :\n"
            "Est-ce que des personnes accompagnées viennent ?\n"
            "Est-ce qu'elles reçoivent les papiers avant la réunion ?\n"
            "Est-ce qu'on paie leur transport et leur repas ?\n"
            "Est-ce qu'elles peuvent parler ?\n"
            "\n"
            "Faites cette liste avec les personnes accompagnées.\n"
            "Demandez-leur où elles veulent donner leur avis.\n"
            "\n"
            "Écrivez le résultat avec des mots simples.\n"
            "Choisissez 3 ou 4 choses à changer en premier."
        ),
        "source": (
            f"{RAPPORT}, lignes 440-449 (instances à identifier, trois niveaux de "
            f"participation) ; {LIVRE_BLANC}, lignes 2457-2461 (écart entre objectifs et "
            "pratiques), 5776 (CRPA, conseils de la vie sociale, collectifs), 5889-5890 "
            "(diagnostics avec les personnes), 5914-5918 (identifier les initiatives et les "
            "structures)."
        ),
    },
    {
        "number": 2,
        "phase": "before",
        "title": "Structurer et coordonner la démarche",
        "why": (
            "<p>Le Livre blanc du travail social le dit simplement : la participation « demeure "
            "cependant plus facile à évoquer qu'à pratiquer ». Une démarche sans pilote, sans "
            "calendrier et sans budget s'arrête à la première difficulté, et ce sont les "
            "personnes accompagnées qui en paient le prix : elles se sont déplacées, ont "
            "donné de leur temps, et ne voient aucune suite.</p>"
            "<p>Le Livre blanc propose de créer, au niveau régional, un poste de "
            "<strong>facilitateur à la participation</strong> chargé notamment de coordonner "
            "le réseau des acteurs, de rendre l'information accessible, de veiller au cadre "
            "éthique et de s'assurer que la participation prévue par les textes se met "
            "réellement en œuvre. Dans l'une de ses fiches d'illustration, une émission de radio "
            "faite avec des personnes accompagnées, une condition de réussite est d'être "
            "accompagné d'une « personne ressource, véritable agent de liaison » entre les "
            "parties prenantes.</p>"
            "<p>Structurer la démarche, c'est décider à l'avance qui fait quoi, quand, avec "
            "quels moyens, et ce que les personnes peuvent réellement changer.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Nommez une personne référente</strong> et une personne qui la "
            "remplace. Leurs noms et leurs coordonnées figurent sur chaque invitation.</li>"
            "<li>Écrivez l'objectif en deux phrases, et le niveau de participation visé : "
            "une instance, la construction d'un projet, ou la formation des travailleurs "
            "sociaux.</li>"
            "<li><strong>Dites ce qui peut changer et ce qui ne peut pas changer.</strong> "
            "Consulter sur une décision déjà prise décourage durablement.</li>"
            "<li>Faites un calendrier en trois phases : en amont (préparer), pendant (suivre), "
            "après (évaluer). Fixez dès le début la date du retour aux participants.</li>"
            "<li>Prévoyez le budget avant de commencer : frais de déplacement, repas, garde "
            "d'enfants, rémunération des personnes invitées comme formatrices ou expertes, "
            "accessibilité.</li>"
            "<li>Associez des personnes accompagnées au pilotage lui-même, pas seulement aux "
            "réunions.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>les <strong>rôles</strong> d'une structure (animateur, personne chargée des "
            "paiements, modérateur, administrateur) répartissent le travail ;</li>"
            "<li>un <strong>tour de consultation</strong> suit des étapes visibles (brouillon, "
            "annoncé, ouvert, fermé, retour) avec ses dates, dont la date à laquelle les "
            "personnes sauront ce qui a été fait de leurs paroles ;</li>"
            "<li>les <strong>listes de contrôle du kit</strong> rappellent, pour un tour de "
            "consultation ou une mission de co-formation, ce qui reste à faire ;</li>"
            "<li>les <strong>taux de remboursement</strong> de la structure se règlent avant "
            "le premier événement (les valeurs de démonstration ne sont que des "
            "exemples).</li>"
            "</ul>"
            "<p>Hors de Parole, une charte interne aide à fixer les règles communes : le Livre "
            "blanc cite la « Charte du pouvoir d'agir » du comité local du Grand Est.</p>"
        ),
        "success_factors": (
            "<p>Le Livre blanc donne des clefs de réussite que l'on peut appliquer à chaque "
            "démarche :</p>"
            "<ul>"
            "<li><strong>un socle commun</strong> : partager la définition du travail social "
            "et des notions de pouvoir d'agir et de participation ;</li>"
            "<li><strong>former</strong> les professionnels, les organisations, les managers "
            "et les directions, pas seulement les équipes de terrain ;</li>"
            "<li>construire des <strong>espaces et des temps communs</strong>, et développer "
            "des actions en commun ;</li>"
            "<li>développer des outils internes et des <strong>pratiques "
            "réflexives</strong> ;</li>"
            "<li>généraliser des <strong>instances dédiées</strong> à la prise en compte de "
            "la parole des personnes accompagnées.</li>"
            "</ul>"
            "<p>S'y ajoutent un soutien clair de la direction et une personne référente "
            "stable pendant toute la démarche.</p>"
        ),
        "easy": (
            "Cette fiche explique comment organiser la participation.\n"
            "\n"
            "Choisissez une personne qui s'occupe de tout.\n"
            "Les participants connaissent son nom et son numéro de téléphone.\n"
            "\n"
            "Écrivez pourquoi vous faites participer les personnes.\n"
            "Dites ce que les personnes peuvent changer.\n"
            "Dites aussi ce qu'elles ne peuvent pas changer.\n"
            "\n"
            "Faites un calendrier.\n"
            "Choisissez tout de suite la date du retour.\n"
            "Ce jour-là, les personnes apprennent ce que vous avez fait de leur avis.\n"
            "\n"
            "Prévoyez l'argent avant de commencer.\n"
            "Cet argent paie le transport, les repas et la garde des enfants.\n"
            "\n"
            "Des personnes accompagnées décident avec vous comment tout cela se passe."
        ),
        "source": (
            f"{RAPPORT}, lignes 445-449 (trois niveaux de participation) et 478-484 (les "
            f"trois phases) ; {LIVRE_BLANC}, lignes 2457-2458 (« plus facile à évoquer qu'à "
            "pratiquer »), 5910-5934 (facilitateur à la participation), 5972-5998 (clefs de "
            "réussite), 6322-6323 (représentation des personnes dans les espaces de décision), "
            "7012-7014 (personne ressource, agent de liaison)."
        ),
    },
    {
        "number": 3,
        "phase": "before",
        "title": "Identifier et mobiliser les participants",
        "why": (
            "<p>La première recommandation du HCTS est de <strong>généraliser la "
            "participation des personnes accompagnées dans toutes les instances de prise de "
            "décision qui les concernent</strong> et dans les formations des professionnels. "
            "La deuxième demande de s'assurer, dans la composition des instances, d'une "
            "<strong>distinction claire entre les personnes accompagnées</strong> ou l'ayant "
            "été, et les associations ou les autres personnes qui les représentent, tout en "
            "permettant la participation de tous.</p>"
            "<p>Sans effort particulier, ce sont toujours les mêmes personnes qui viennent, "
            "et les personnes les plus éloignées ne sont pas entendues : personnes en grande "
            "précarité, personnes en situation de handicap, jeunes majeurs sortis de la "
            "protection de l'enfance. Mobiliser, c'est aller vers elles, leur expliquer à "
            "quoi sert leur parole et lever ce qui les empêche de venir.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Passez par les structures qui accompagnent les personnes</strong> : "
            "centres d'hébergement, associations, centres communaux d'action sociale, services "
            "de protection de l'enfance, établissements pour personnes handicapées, CRPA.</li>"
            "<li>Préférez l'invitation personnelle, portée par un professionnel ou un pair "
            "en qui la personne a confiance, à une affiche ou un courrier anonyme.</li>"
            "<li>Expliquez en mots simples : le sujet, ce que la participation peut changer, "
            "combien de temps cela prend, ce qui est payé ou remboursé, et qui contacter.</li>"
            "<li>Invitez au moins deux personnes d'un même lieu pour que personne ne soit "
            "seul, et proposez de venir avec une personne de confiance.</li>"
            "<li>Ne demandez jamais aux personnes de prouver leur situation.</li>"
            "<li>Respectez le refus : on peut dire non, ou arrêter, sans avoir à se "
            "justifier.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>les <strong>invitations</strong> d'un tour de consultation partent vers les "
            "membres de la structure ou vers une personne précise, par le moyen qu'elle "
            "utilise ;</li>"
            "<li>un animateur peut <strong>créer un compte pour une personne, avec son "
            "accord</strong> : elle reçoit une carte avec un identifiant et un code, sans "
            "adresse e-mail ;</li>"
            "<li>l'<strong>affichage facile à lire</strong> et la version facile à lire de "
            "chaque consultation s'affichent d'abord ;</li>"
            "<li>le <strong>questionnaire papier avec un code</strong> permet de participer "
            "sans ordinateur ni téléphone ;</li>"
            "<li>les <strong>missions de co-formation</strong> publiées par les instituts de "
            "formation permettent aux personnes de s'inscrire elles-mêmes, en disant ce dont "
            "elles ont besoin pour venir.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li>Une <strong>relation de confiance</strong> : la personne qui invite connaît "
            "la personne invitée, ou passe par quelqu'un qui la connaît.</li>"
            "<li><strong>Aller là où sont les personnes</strong> plutôt que de les attendre. "
            "Le Livre blanc propose d'identifier les structures et associations qui accueillent "
            "des personnes intéressées pour participer.</li>"
            "<li>Une promesse honnête : ne pas annoncer plus que ce que la démarche peut "
            "changer.</li>"
            "<li>La diversité des participants : âges, situations, lieux de vie, personnes "
            "qui participent pour la première fois.</li>"
            "<li>Le libre choix : participer n'est jamais une condition pour être aidé.</li>"
            "<li>Renouveler les participants régulièrement, sans écarter ceux qui ont de "
            "l'expérience.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment trouver des participants.\n"
            "\n"
            "Les personnes accompagnées ont le droit de donner leur avis.\n"
            "Elles ont ce droit dans toutes les réunions qui parlent d'elles.\n"
            "\n"
            "Allez voir les personnes là où elles sont.\n"
            "Par exemple dans un foyer ou dans une association.\n"
            "Invitez-les vous-même, ou avec une personne qu'elles connaissent.\n"
            "\n"
            "Expliquez le sujet avec des mots simples.\n"
            "Dites ce que leur avis peut changer.\n"
            "Dites combien de temps cela dure.\n"
            "Dites ce qui est payé.\n"
            "\n"
            "Une personne peut venir avec quelqu'un de confiance.\n"
            "Une personne peut dire non.\n"
            "Une personne peut arrêter quand elle veut."
        ),
        "source": (
            f"{RAPPORT}, lignes 453-454 (recommandations 1 et 2) ; {LIVRE_BLANC}, lignes "
            "2449-2452 (publics en grande précarité, personnes handicapées, jeunes de la "
            "protection de l'enfance), 5916-5918 (identifier les structures et associations), "
            f"5920-5924 (information accessible, sensibiliser) ; {RAPPORT}, ligne 341 (ne pas "
            "demander de preuve)."
        ),
    },
    {
        "number": 7,
        "phase": "during",
        "title": "Préparer et accompagner les personnes",
        "why": (
            "<p>Une personne qui arrive seule dans une réunion de professionnels, sans "
            "connaître le sujet ni le vocabulaire, ne peut pas donner son avis à égalité. La "
            "cinquième recommandation du HCTS demande d'<strong>envoyer le sujet à "
            "l'avance</strong>, « pour qu'il soit bien compris et aider à sa "
            "préparation ».</p>"
            "<p>Le Livre blanc du travail social insiste sur le <strong>temps de préparation "
            "collective</strong> aux ordres du jour. Ce travail de préparation permet aux "
            "instances de bénéficier « non pas d'un témoignage brut et émotionnel de la "
            "souffrance », mais d'une analyse « plus distanciée, critique et réflexive ». La "
            "personne est alors reconnue pour ses compétences et son expertise. De même, en "
            "formation, le Livre blanc demande de ne pas se satisfaire du « simple "
            "témoignage » des personnes.</p>"
            "<p>Accompagner, c'est aussi être là après : une réunion difficile, des paroles "
            "mal reçues ou un sujet douloureux demandent un temps pour en parler.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Organisez une réunion de préparation</strong> avant chaque instance "
            "ou chaque intervention en formation : qui sera là, qui décide, comment se passe "
            "la réunion, quels mots seront employés.</li>"
            "<li>Lisez les documents ensemble. Expliquez les sigles et les mots "
            "difficiles.</li>"
            "<li>Aidez le groupe à construire un message commun, à partir de l'expérience de "
            "plusieurs personnes, plutôt qu'un récit personnel.</li>"
            "<li>Laissez chaque personne décider de ce qu'elle veut dire de sa vie, et de ce "
            "qu'elle garde pour elle.</li>"
            "<li>Proposez un binôme avec un pair qui a déjà participé.</li>"
            "<li>Demandez ce dont la personne a besoin pour venir : garde d'enfants, "
            "accompagnement, accès en fauteuil, traduction, aide pour lire.</li>"
            "<li>Après la réunion, prenez un temps de retour avec les personnes.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>une mission de co-formation indique la <strong>date de la réunion de "
            "préparation</strong> ;</li>"
            "<li>le formulaire d'<strong>inscription</strong> à une mission demande les "
            "besoins de la personne (garde d'enfants, accompagnement, accessibilité, personne "
            "qui l'aide) ; un animateur peut remplir l'inscription pour quelqu'un, avec son "
            "accord ;</li>"
            "<li>chaque consultation existe en <strong>version facile à lire</strong>, peut "
            "être <strong>écoutée</strong> et <strong>imprimée en gros caractères</strong> ;</li>"
            "<li>le <strong>glossaire</strong> de la structure explique les mots "
            "difficiles ;</li>"
            "<li>des <strong>rappels</strong> sont envoyés avant les séances ;</li>"
            "<li>le <strong>profil de co-formateur</strong> permet à la personne de choisir "
            "ce qu'elle montre d'elle-même.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li><strong>Du temps</strong> : la préparation se prévoit dans le calendrier et "
            "dans le budget, comme la réunion elle-même.</li>"
            "<li>Une <strong>personne de référence stable</strong>, que les participants "
            "peuvent appeler entre les réunions.</li>"
            "<li>Une préparation <strong>collective</strong> : elle aide à passer de "
            "l'histoire personnelle à une analyse partagée.</li>"
            "<li>Le respect du rythme et des limites de chacun : personne n'est obligé de "
            "raconter sa vie.</li>"
            "<li>Le développement des compétences des participants : le Livre blanc parle "
            "d'un plan de développement des compétences pour les personnes "
            "accompagnées.</li>"
            "<li>Un temps de retour après chaque réunion.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment aider les personnes à se préparer.\n"
            "\n"
            "Avant la réunion, faites une réunion de préparation.\n"
            "Expliquez le sujet.\n"
            "Expliquez qui sera là.\n"
            "Expliquez les mots difficiles.\n"
            "Lisez les papiers ensemble.\n"
            "\n"
            "Les personnes préparent ensemble ce qu'elles veulent dire.\n"
            "Chaque personne choisit ce qu'elle dit de sa vie.\n"
            "Personne n'est obligé de raconter sa vie.\n"
            "\n"
            "Demandez ce dont la personne a besoin pour venir.\n"
            "Par exemple : quelqu'un pour garder ses enfants.\n"
            "\n"
            "Après la réunion, parlez ensemble de ce qui s'est passé."
        ),
        "source": (
            f"{RAPPORT}, ligne 457 (recommandation 5) ; {LIVRE_BLANC}, lignes 2403-2419 "
            "(préparation collective, analyse distanciée plutôt que témoignage brut), "
            "5903-5905 (ne pas se satisfaire du simple témoignage), 6009 (plan de "
            "développement des compétences), 6989-6999 (étapes de préparation et retour)."
        ),
    },
    {
        "number": 5,
        "phase": "before",
        "title": "La logistique et les frais de la participation",
        "why": (
            "<p>La sixième recommandation du HCTS est claire : la personne qui organise "
            "« doit aussi prévoir la prise en charge des frais pour que les personnes "
            "participent : billets de train, de métro, nourriture et hôtel ». Si les personnes "
            "sont invitées comme formateurs occasionnels ou « experts », <strong>elles doivent "
            "être rémunérées</strong>.</p>"
            "<p>Le Livre blanc du travail social demande de <strong>simplifier les circuits "
            "administratifs</strong> et d'adopter un langage facile à lire et à comprendre pour "
            "obtenir le remboursement des frais (déplacements, garde d'enfant, repas) et/ou "
            "pour <strong>éviter l'avance de frais</strong>. Il ajoute deux points de "
            "vigilance : la personne doit se sentir libre de choisir son statut et sa "
            "rémunération, et il faut veiller à <strong>ne jamais la mettre en difficulté "
            "financière</strong>, par exemple par la perte du statut de demandeur d'emploi, du "
            "revenu de solidarité active ou d'autres revenus sociaux.</p>"
            "<p>Une personne qui n'a pas de quoi avancer un billet de train ne viendra pas, "
            "même si elle est remboursée un mois plus tard.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Choisissez un lieu accessible</strong> : transports en commun, accès "
            "sans marche, toilettes adaptées, salle calme. Choisissez un horaire compatible "
            "avec la garde des enfants.</li>"
            "<li>Écrivez dans l'invitation <strong>ce qui est payé</strong>, comment et quand. "
            "Donnez le nom d'une personne à contacter pour l'argent.</li>"
            "<li>Proposez d'<strong>acheter les billets directement</strong> ou de verser une "
            "avance avant l'événement. Offrez le repas sur place plutôt que de le "
            "rembourser.</li>"
            "<li>Acceptez une attestation sur l'honneur quand il n'y a pas de "
            "justificatif.</li>"
            "<li>Remboursez vite, dans un délai annoncé à l'avance.</li>"
            "<li>Pour une rémunération, expliquez avant le choix, en mots simples, l'effet "
            "possible sur les aides (revenu de solidarité active, allocation aux adultes "
            "handicapés, droits au chômage). La personne peut refuser d'être payée.</li>"
            "<li>Prévoyez un moyen de paiement pour les personnes sans compte bancaire.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>la <strong>demande de remboursement</strong> se fait par catégorie : "
            "billets de train, de bus ou de métro, voiture au kilomètre, repas, hôtel, garde "
            "d'enfants, autre. On ajoute une photo du justificatif, ou une "
            "<strong>attestation sur l'honneur</strong> ;</li>"
            "<li>la <strong>demande d'avance</strong> permet de recevoir l'argent avant "
            "l'activité, <strong>sans avancer d'argent</strong> ; elle est régularisée "
            "après ;</li>"
            "<li>la structure règle ses <strong>taux et ses règles</strong> : forfait repas, "
            "taux kilométrique, délai de paiement, plafond des attestations sur "
            "l'honneur ;</li>"
            "<li>la <strong>demande de rémunération</strong> affiche un avertissement sur les "
            "aides avant le choix ;</li>"
            "<li>le paiement se fait par virement, en espèces ou en bon remis par la "
            "structure, ou à un tiers ; un <strong>relevé annuel</strong> récapitule les "
            "sommes versées.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li><strong>Personne n'avance d'argent</strong> : achat direct ou avance chaque "
            "fois que c'est nécessaire.</li>"
            "<li>Un <strong>circuit simple</strong> : peu de papiers, des formulaires faciles "
            "à lire, une aide pour les remplir, une version papier possible.</li>"
            "<li>Un <strong>délai de paiement court et tenu</strong>.</li>"
            "<li>Une information donnée <strong>dès l'invitation</strong>, pas le jour "
            "même.</li>"
            "<li>Un budget prévu au lancement de la démarche, qui couvre aussi la "
            "rémunération des personnes invitées comme expertes ou formatrices.</li>"
            "<li>Le <strong>libre choix</strong> de la personne sur sa rémunération, après "
            "une information honnête sur ses droits : elle ne doit jamais perdre une aide à "
            "cause de sa participation.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche parle de l'argent et de l'organisation pratique.\n"
            "\n"
            "Participer ne doit rien vous coûter.\n"
            "L'organisateur paie le transport, les repas et l'hôtel.\n"
            "Il paie aussi la garde des enfants.\n"
            "\n"
            "Vous n'avez pas d'argent pour le billet ?\n"
            "Demandez une avance.\n"
            "Une avance, c'est de l'argent reçu avant la réunion.\n"
            "L'organisateur peut aussi acheter le billet pour vous.\n"
            "\n"
            "Vous n'avez pas de ticket de caisse ?\n"
            "Vous pouvez écrire une attestation sur l'honneur.\n"
            "C'est un papier où vous dites que c'est vrai.\n"
            "\n"
            "Vous formez des étudiants ?\n"
            "Alors vous êtes payé pour ce travail.\n"
            "Avant de choisir, demandez si cet argent change vos aides.\n"
            "Vous pouvez refuser d'être payé."
        ),
        "source": (
            f"{RAPPORT}, lignes 458-459 (recommandation 6) ; {LIVRE_BLANC}, lignes 2403-2410 "
            "(moyens logistiques, prise en charge des frais, rémunération), 5847-5849 "
            "(simplifier, éviter l'avance de frais), 5852-5858 (points de vigilance), "
            "6004-6005 (indemnisation)."
        ),
    },
    {
        "number": 4,
        "phase": "before",
        "title": "Informer en amont et écrire simplement",
        "why": (
            "<p>Trois des sept recommandations du HCTS portent sur l'information : "
            "<strong>écrire en langage simple</strong> et facile à comprendre par tous "
            "(recommandation 3), <strong>envoyer le sujet à l'avance</strong> pour qu'il soit "
            "bien compris et aider à la préparation (recommandation 5), et prévoir un "
            "<strong>espace facilement accessible</strong> sur la participation dans le site "
            "internet du HCTS (recommandation 7). Le HCTS a lui-même diffusé son rapport sur la "
            "participation sous trois formes : in extenso, synthétique et simplifiée.</p>"
            "<p>Le Livre blanc du travail social rappelle que les documents destinés aux "
            "personnes sont « souvent trop longs et parfois trop complexes », et recommande "
            "le facile à lire et à comprendre (FALC), les pictogrammes, les supports audio ou "
            "vidéo et le braille. Il cite le Défenseur des droits : « aucune démarche "
            "administrative ne doit être accessible uniquement par voie dématérialisée ». "
            "Une information que l'on ne peut pas lire, ou qui arrive trop tard, exclut aussi "
            "sûrement qu'une porte fermée.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Envoyez l'invitation assez tôt</strong> : le sujet, les questions, "
            "la date, le lieu, ce qui est payé et la personne à contacter.</li>"
            "<li>Écrivez une <strong>version facile à lire</strong> : phrases courtes, une "
            "idée par phrase, mots courants, un mot difficile expliqué juste après, pas de "
            "sigles, les nombres en chiffres, toujours le même mot pour la même chose.</li>"
            "<li><strong>Faites relire le texte par des personnes concernées.</strong> Selon "
            "les règles européennes, un texte n'est « facile à lire et à comprendre » qu'après "
            "la relecture par des personnes qui ont une déficience intellectuelle. Un logiciel "
            "aide à écrire ; il ne remplace pas cette relecture.</li>"
            "<li>Proposez d'autres formes : papier, lecture à voix haute, gros caractères, "
            "pictogrammes.</li>"
            "<li>Envoyez l'information par le moyen que chaque personne utilise : message, "
            "courrier, ou par son animateur.</li>"
            "<li>Gardez la version complète à un clic pour ceux qui la veulent.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>la <strong>vérification de la facilité de lecture</strong> signale pendant "
            "l'écriture les phrases longues, les mots difficiles et les sigles, et donne un "
            "indice de lisibilité (c'est une aide, pas un label) ;</li>"
            "<li>la <strong>relecture</strong> envoie le texte à des relecteurs, qui disent "
            "pour chaque phrase s'ils la comprennent ; un animateur peut saisir les réponses "
            "d'un relecteur avec son accord ;</li>"
            "<li>le <strong>glossaire</strong> de la structure garde les mots et leurs "
            "explications ;</li>"
            "<li>chaque consultation s'affiche d'abord en <strong>version facile à "
            "lire</strong>, peut être <strong>écoutée</strong> et imprimée en gros "
            "caractères ;</li>"
            "<li>Parole refuse d'ouvrir une consultation si l'invitation n'est pas partie "
            "assez tôt : le délai minimum est réglé par la structure ;</li>"
            "<li>chaque personne peut choisir l'<strong>affichage facile à lire</strong>.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li>La <strong>relecture par les personnes concernées</strong>, avant "
            "publication, et leur nom cité quand elles le souhaitent.</li>"
            "<li>Un <strong>délai suffisant</strong> entre l'invitation et la réunion pour "
            "lire, se faire aider et préparer.</li>"
            "<li>Plusieurs formes pour la même information : écrit simple, papier, audio, "
            "gros caractères. Le papier reste toujours possible.</li>"
            "<li>Les mêmes mots du début à la fin de la démarche.</li>"
            "<li>Vérifier en réunion que chacun a compris, sans mettre personne en "
            "difficulté.</li>"
            "<li>Apprendre à écrire simplement : c'est une compétence qui se forme, pour les "
            "professionnels comme pour les directions.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment bien informer les personnes.\n"
            "\n"
            "Envoyez le sujet de la réunion avant la réunion.\n"
            "Les personnes ont le temps de lire et de se préparer.\n"
            "\n"
            "Écrivez avec des mots simples.\n"
            "Écrivez des phrases courtes.\n"
            "Écrivez une seule idée par phrase.\n"
            "Expliquez les mots difficiles.\n"
            "\n"
            "Faites relire le texte par des personnes concernées.\n"
            "Elles disent si elles comprennent chaque phrase.\n"
            "\n"
            "Donnez le texte aussi sur papier.\n"
            "Proposez de l'écouter.\n"
            "Proposez de l'imprimer en gros caractères."
        ),
        "source": (
            f"{RAPPORT}, lignes 455, 457 et 460 (recommandations 3, 5 et 7), 462 (rapport "
            f"diffusé sous trois formes) ; {LIVRE_BLANC}, lignes 3732-3745 (accessibilité, "
            "FALC, démarches pas uniquement dématérialisées), 5370-5377 (version papier, "
            "FALC), 9764-9766 (FALC, audio, vidéo, braille), 15705-15710 (documents trop "
            "longs, pictogrammes)."
        ),
    },
    {
        "number": 6,
        "phase": "during",
        "title": "Animer une rencontre de participation",
        "why": (
            "<p>La quatrième recommandation du HCTS s'adresse aux animateurs : "
            "« <strong>dans toutes les réunions</strong>, les personnes qui animent doivent, "
            "au moyen d'outils ou d'une méthode, <strong>permettre la compréhension et la "
            "prise de parole de tout le monde</strong> ». Être invité ne suffit pas : dans une "
            "réunion rapide, pleine de sigles, où les professionnels se connaissent, les "
            "personnes accompagnées se taisent.</p>"
            "<p>Le Livre blanc du travail social donne l'exemple du CRPA de la région "
            "Provence-Alpes-Côte d'Azur : des rencontres tous les 3 mois, composées en "
            "majorité de personnes accueillies ou accompagnées (environ 70 %), qui sont « une "
            "occasion d'exprimer son point de vue de manière libre dans un espace convivial et "
            "respectueux ». À propos du recueil d'informations, la commission éthique du HCTS "
            "rappelle que le respect de la personne implique d'admettre ses éventuels doutes "
            "ou refus de répondre.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Fixez les règles ensemble</strong> au début : on s'écoute, ce qui est "
            "dit de la vie de chacun reste dans la salle, on peut ne pas parler, on peut dire "
            "« je n'ai pas compris » à tout moment.</li>"
            "<li>Confiez l'animation à une personne qui ne décide pas du sujet, si "
            "possible.</li>"
            "<li><strong>Donnez la parole à chacun</strong> : tours de table, petits groupes, "
            "écrits anonymes, cartes de couleur, pictogrammes.</li>"
            "<li>Expliquez chaque sigle. Faites des pauses.</li>"
            "<li>Écrivez au tableau ce qui est dit, avec les mots des personnes.</li>"
            "<li>Distinguez ce qui est décidé, ce qui est proposé et ce qui reste "
            "ouvert.</li>"
            "<li>Avant de partir, dites <strong>quand et comment</strong> les personnes "
            "sauront ce qui a été fait de leurs paroles (fiche 8).</li>"
            "<li>Pour un échange en ligne, modérez les messages pour protéger les "
            "auteurs.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>une consultation se répond <strong>en ligne</strong>, une question par page, "
            "sur un <strong>questionnaire papier avec un code</strong>, ou <strong>avec l'aide "
            "d'un animateur</strong> qui saisit les réponses avec l'accord de la personne ; "
            "cette aide est enregistrée et visible ;</li>"
            "<li>chaque question permet de répondre « Je préfère ne pas répondre » ;</li>"
            "<li>la <strong>discussion</strong> d'une consultation est modérée : les messages "
            "qui semblent contenir un numéro de téléphone, une adresse ou de la détresse "
            "attendent une personne avant d'être montrés ; l'auteur voit la décision et peut "
            "la contester ;</li>"
            "<li>la <strong>charte de modération</strong> explique ces règles à tous.</li>"
            "</ul>"
            "<p>Le Livre blanc cite aussi des formes d'animation qui rapprochent les "
            "personnes : théâtre forum, émissions de radio, rencontres culturelles.</p>"
        ),
        "success_factors": (
            "<ul>"
            "<li>Des <strong>animateurs formés</strong> aux méthodes qui permettent à chacun "
            "de parler.</li>"
            "<li>Des <strong>participants préparés</strong> (fiche 7) et informés à l'avance "
            "(fiche 4).</li>"
            "<li>Un <strong>espace convivial et respectueux</strong> : accueil, boissons, "
            "horaires tenus, pauses.</li>"
            "<li>Une place réelle pour les personnes accompagnées : assez nombreuses pour ne "
            "pas être isolées, à égalité avec les professionnels.</li>"
            "<li>Le droit de ne pas répondre, et de changer d'avis.</li>"
            "<li>Une personne disponible après la réunion pour ceux qu'un échange a "
            "touchés ou blessés.</li>"
            "<li>Un compte rendu en langage simple, envoyé à tous, qui reprend toutes les "
            "propositions formulées.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment animer une réunion.\n"
            "\n"
            "Tout le monde doit comprendre.\n"
            "Tout le monde doit pouvoir parler.\n"
            "\n"
            "Au début, décidez des règles ensemble.\n"
            "On s'écoute.\n"
            "On peut ne pas parler.\n"
            "On peut dire « je n'ai pas compris ».\n"
            "\n"
            "Donnez la parole à chaque personne.\n"
            "Expliquez les mots difficiles.\n"
            "Faites des pauses.\n"
            "\n"
            "Vous pouvez répondre sur internet, sur papier, ou avec l'aide d'un animateur.\n"
            "\n"
            "À la fin, donnez la date du retour.\n"
            "Ce jour-là, les personnes apprennent ce que vous avez fait de leur avis."
        ),
        "source": (
            f"{RAPPORT}, ligne 456 (recommandation 4), ligne 340 (refus de répondre) ; "
            f"{LIVRE_BLANC}, lignes 6609-6624 (CRPA : rencontres tous les 3 mois, espace "
            "convivial et respectueux), 6264-6267 (théâtre forum, radio, événements)."
        ),
    },
    {
        "number": 8,
        "phase": "after",
        "title": "Faire un retour aux participants",
        "why": (
            "<p>Les personnes qui ont donné leur avis veulent savoir <strong>ce qui a été "
            "fait de leurs paroles</strong>. Sans retour, la participation devient un alibi : "
            "les personnes ont le sentiment d'avoir parlé pour rien, et ne reviennent pas.</p>"
            "<p>Le Livre blanc du travail social décrit la pratique du CRPA de la région "
            "Provence-Alpes-Côte d'Azur : « à l'issue de chaque réunion, une contribution "
            "reprenant l'ensemble des propositions formulées est largement diffusée auprès "
            "des partenaires institutionnels et des pouvoirs publics ». Dans l'exemple de "
            "l'émission de radio réalisée avec des personnes accompagnées, le retour "
            "(« feed-back ») et la valorisation font partie des étapes prévues dès le "
            "départ.</p>"
            "<p>Le retour se doit aussi aux personnes elles-mêmes, dans une forme qu'elles "
            "peuvent lire : le HCTS a diffusé son propre rapport sur la participation en "
            "version simplifiée.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Fixez la date du retour au début</strong> de la démarche, et "
            "tenez-la.</li>"
            "<li>Organisez le retour en deux colonnes : <strong>« Vous avez dit »</strong> et "
            "<strong>« Nous avons fait »</strong>. Pour chaque sujet : ce que les personnes "
            "ont dit, ce qui a été fait, par qui, et quand.</li>"
            "<li><strong>Dites aussi ce qui n'a pas été fait</strong>, et pourquoi. Un « non » "
            "expliqué respecte davantage qu'un silence.</li>"
            "<li>Écrivez le retour en version facile à lire, et faites-le relire.</li>"
            "<li>Envoyez-le à chaque participant, par le moyen qu'il utilise, y compris sur "
            "papier.</li>"
            "<li>Protégez les petits groupes : ne montrez pas de chiffres qui permettraient "
            "de reconnaître quelqu'un.</li>"
            "<li>Si possible, présentez le retour lors d'une rencontre, et remerciez les "
            "personnes.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>le <strong>retour « Vous avez dit / Nous avons fait »</strong> se rédige "
            "point par point, avec sa version facile à lire, la personne ou le service qui "
            "agit, et la date ; la vérification de la facilité de lecture aide à "
            "l'écrire ;</li>"
            "<li>chaque tour de consultation a une <strong>date de retour</strong>, affichée "
            "aux participants dès l'invitation ;</li>"
            "<li>les participants reçoivent une <strong>notification</strong> quand le retour "
            "est publié ;</li>"
            "<li>les <strong>résultats</strong> cachent les nombres trop petits quand ils "
            "pourraient faire reconnaître quelqu'un ;</li>"
            "<li>les résultats et le retour s'<strong>impriment en gros caractères</strong> "
            "(PDF), pour les personnes qui lisent sur papier.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li>L'<strong>honnêteté</strong> : dire aussi ce qui n'a pas changé, et "
            "pourquoi.</li>"
            "<li>Un <strong>délai court</strong> et annoncé à l'avance.</li>"
            "<li>Un retour <strong>concret</strong> : qui fait quoi, et quand, plutôt que des "
            "intentions générales.</li>"
            "<li>Un langage simple, relu par des personnes concernées.</li>"
            "<li>Un retour qui atteint <strong>tout le monde</strong>, y compris les "
            "personnes qui ont répondu sur papier ou avec de l'aide.</li>"
            "<li>Un suivi dans la durée : revenir vers les personnes quand une action "
            "annoncée se réalise, ou prend du retard.</li>"
            "<li>Une large diffusion des propositions aux partenaires et aux pouvoirs "
            "publics, comme le fait le CRPA après chaque réunion.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche parle du retour aux personnes.\n"
            "Le retour, c'est dire ce que vous avez fait de leur avis.\n"
            "\n"
            "Les personnes ont donné leur avis.\n"
            "Elles ont le droit de savoir ce qui a changé.\n"
            "\n"
            "Écrivez ce que les personnes ont dit.\n"
            "Écrivez ce que vous avez fait.\n"
            "Écrivez qui le fait et quand.\n"
            "\n"
            "Vous n'avez pas fait une chose demandée ?\n"
            "Dites-le.\n"
            "Expliquez pourquoi.\n"
            "\n"
            "Écrivez avec des mots simples.\n"
            "Envoyez ce texte à chaque personne.\n"
            "Envoyez-le aussi sur papier si la personne préfère."
        ),
        "source": (
            f"{RAPPORT}, ligne 462 (rapport diffusé en version simplifiée) ; {LIVRE_BLANC}, "
            "lignes 6614-6617 (contribution diffusée après chaque réunion du CRPA), "
            "6989-6999 (étapes : feed-back, valorisation)."
        ),
    },
    {
        "number": 9,
        "phase": "after",
        "title": "Évaluer la participation",
        "why": (
            "<p>Le kit du HCTS classe ses fiches en trois phases ; la dernière, « après », "
            "consiste à <strong>évaluer la démarche de participation</strong>. Évaluer, ce "
            "n'est pas seulement compter les présents : c'est savoir si les personnes ont "
            "compris, ont pu parler, n'ont rien payé de leur poche, et voient un "
            "changement.</p>"
            "<p>Le Livre blanc du travail social propose de <strong>généraliser des modalités "
            "d'évaluation qualitatives, co-construites</strong> par les professionnels et les "
            "personnes concernées, de réaliser une <strong>évaluation qualitative annuelle de "
            "la participation pour la rendre lisible</strong>, et d'évaluer les "
            "expérimentations en vue d'élaborer un « guide de bonnes pratiques ». Une "
            "évaluation sert à améliorer la démarche suivante, et à montrer aux financeurs et "
            "aux directions ce que la participation apporte.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Évaluez avec les participants</strong>, pas seulement sur eux : "
            "choisissez ensemble les questions et les critères.</li>"
            "<li>Posez des questions simples aux personnes : avez-vous compris ? avez-vous pu "
            "parler ? vos frais ont-ils été payés ? voyez-vous un changement ?</li>"
            "<li>Regardez aussi le côté des organisateurs : les sept recommandations du HCTS "
            "ont-elles été respectées ? Documents envoyés à l'avance, langage simple, outils "
            "d'animation, frais pris en charge, rémunération des experts, retour dans les "
            "délais.</li>"
            "<li>Suivez quelques chiffres : nombre et diversité des participants, personnes "
            "revenues, délai de remboursement, date du retour tenue ou non.</li>"
            "<li>Gardez les réponses anonymes, et protégez les petits groupes.</li>"
            "<li>Partagez les résultats avec les participants, et dites ce qui changera la "
            "prochaine fois.</li>"
            "<li>Une fois par an, faites le bilan de toutes les démarches.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>après un tour de consultation, chaque participant peut <strong>donner son "
            "avis sur la participation</strong> : 4 questions courtes (compréhension, prise de "
            "parole, frais, changement) et un commentaire libre, sans son nom ;</li>"
            "<li>les réponses sont regroupées, et les nombres trop petits sont cachés ;</li>"
            "<li>après une mission de co-formation, l'institut et le co-formateur donnent "
            "chacun leur avis ;</li>"
            "<li>les <strong>listes de contrôle du kit</strong> montrent, pour chaque tour ou "
            "mission, les étapes faites et celles qui manquent ;</li>"
            "<li>le <strong>rapport annuel</strong> d'évaluation de la structure rassemble ces "
            "éléments.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li>Des <strong>critères choisis avec les personnes concernées</strong>.</li>"
            "<li>Une évaluation <strong>qualitative</strong> autant que chiffrée : les "
            "commentaires disent souvent plus que les pourcentages.</li>"
            "<li>Des questions courtes, en langage simple, avec une version papier.</li>"
            "<li>L'<strong>anonymat</strong> : on dit plus facilement ce qui n'a pas "
            "marché.</li>"
            "<li>Des <strong>suites visibles</strong> : chaque évaluation produit au moins "
            "un changement annoncé.</li>"
            "<li>Un rythme régulier, au moins une fois par an, pour rendre la participation "
            "lisible.</li>"
            "<li>Des pratiques réflexives : prendre le temps, entre professionnels et avec "
            "les personnes, de relire ce qui s'est passé.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment savoir si la participation s'est bien passée.\n"
            "\n"
            "Demandez aux personnes :\n"
            "Avez-vous compris ?\n"
            "Avez-vous pu parler ?\n"
            "Vos frais ont-ils été payés ?\n"
            "Voyez-vous un changement ?\n"
            "\n"
            "Les personnes répondent sans donner leur nom.\n"
            "\n"
            "Choisissez les questions avec les personnes accompagnées.\n"
            "\n"
            "Dites aux personnes ce que vous avez appris.\n"
            "Dites ce que vous allez changer la prochaine fois.\n"
            "\n"
            "Faites ce travail au moins 1 fois par an."
        ),
        "source": (
            f"{RAPPORT}, lignes 478-484 (les trois phases : « Après : Évaluer la démarche de "
            f"participation ») et 451-460 (les sept recommandations) ; {LIVRE_BLANC}, lignes "
            "5892-5893 (évaluation qualitative co-construite), 5907-5908 (guide de bonnes "
            "pratiques), 5927 (évaluation qualitative annuelle), 5991 (pratiques réflexives)."
        ),
    },
    {
        "number": 10,
        "phase": "after",
        "title": "Faire durer la participation : instances, co-formation, rémunération",
        "why": (
            "<p>Une consultation isolée ne suffit pas. La première recommandation du HCTS "
            "demande de <strong>généraliser</strong> la participation dans toutes les "
            "instances de décision et dans les formations des professionnels. Le Livre blanc "
            "du travail social demande de « généraliser des instances dédiées permettant la "
            "prise en compte de la parole des personnes accompagnées » et d'instaurer une "
            "régularité dans les actions, « inscrite dans la durée ».</p>"
            "<p>Durer suppose des moyens : l'<strong>indemnisation</strong> des personnes "
            "dans les instances et les groupes de travail, la <strong>pérennisation des "
            "postes</strong> dédiés à la participation, le financement de la validation des "
            "acquis de l'expérience (VAE) pour les pairs. Le Livre blanc cite l'institut "
            "régional du travail social Paris Île-de-France, qui a recruté en contrat à durée "
            "indéterminée deux personnes accompagnées, représentantes de leurs pairs, pour "
            "co-construire et co-animer des modules de formation. Il rappelle aussi que le statut des personnes fait souvent obstacle "
            "à leur rémunération.</p>"
        ),
        "how": (
            "<ul>"
            "<li><strong>Inscrivez la participation dans les règles</strong> des instances : "
            "sièges réservés aux personnes accompagnées, distincts de ceux des associations "
            "qui les représentent.</li>"
            "<li>Donnez un <strong>rythme régulier</strong> : par exemple une rencontre tous "
            "les 3 mois, comme les CRPA, avec une contribution écrite après chaque "
            "rencontre.</li>"
            "<li>Renouvelez les participants et formez les nouveaux, avec l'aide des "
            "anciens.</li>"
            "<li>En formation, utilisez les <strong>cinq formes de co-formation</strong> du "
            "Livre blanc : conception des modules, interventions pendant les cours, formation "
            "des formateurs aux savoirs expérientiels, actions de terrain, événements. "
            "Invitez aussi des personnes accompagnées dans les jurys.</li>"
            "<li><strong>Rémunérez</strong> les personnes invitées comme formatrices ou "
            "expertes, au tarif horaire fixé pour la mission, après une information sur "
            "l'effet possible sur leurs aides.</li>"
            "<li>Remettez une attestation de participation, utile pour une future VAE.</li>"
            "<li>Inscrivez ces dépenses au budget de chaque année.</li>"
            "</ul>"
        ),
        "tools": (
            "<p>Dans Parole :</p>"
            "<ul>"
            "<li>les instituts de formation publient des <strong>missions de "
            "co-formation</strong> de chaque forme, plus la participation à un jury : sujet, "
            "dates, lieu et son accessibilité, nombre de places, réunion de préparation, "
            "rémunération par heure, frais pris en charge ;</li>"
            "<li>les personnes s'inscrivent, l'institut confirme, et une <strong>liste "
            "d'attente</strong> avance toute seule quand quelqu'un se désiste ;</li>"
            "<li>après la séance, la présence notée prépare la <strong>rémunération</strong> "
            "et le <strong>remboursement</strong> sans tout ressaisir, et la personne "
            "télécharge son <strong>attestation de participation</strong> ;</li>"
            "<li>le <strong>relevé annuel</strong> récapitule ce qui a été payé ;</li>"
            "<li>les tours de consultation se répètent au rythme choisi par la "
            "structure.</li>"
            "</ul>"
        ),
        "success_factors": (
            "<ul>"
            "<li>Un <strong>budget durable</strong>, inscrit chaque année, et non un "
            "financement de projet ponctuel.</li>"
            "<li>La <strong>reconnaissance</strong> : rémunération des experts et des "
            "co-formateurs, attestation, accès à la VAE, et à terme un statut juridique pour "
            "les experts d'usage, comme le propose le Livre blanc.</li>"
            "<li>Une co-formation qui ne se réduit jamais à un « simple témoignage » : les "
            "personnes co-construisent les contenus.</li>"
            "<li>Un rythme régulier et prévisible.</li>"
            "<li>Le <strong>renouvellement</strong> des participants, et la transmission entre "
            "anciens et nouveaux.</li>"
            "<li>La vigilance sur les aides sociales : la participation ne doit jamais faire "
            "perdre un revenu.</li>"
            "<li>La valorisation des engagements : le Livre blanc propose un label "
            "« empreinte de la participation » pour les centres de formation et les "
            "employeurs.</li>"
            "</ul>"
        ),
        "easy": (
            "Cette fiche explique comment faire participer les personnes longtemps.\n"
            "\n"
            "Les personnes accompagnées ont une place dans les réunions où on décide.\n"
            "Cette place est écrite dans les règles.\n"
            "\n"
            "Les réunions ont lieu souvent.\n"
            "Par exemple, tous les 3 mois.\n"
            "\n"
            "Des personnes accompagnées aident à former les futurs travailleurs sociaux.\n"
            "On appelle cela la co-formation.\n"
            "Elles sont payées pour ce travail.\n"
            "Elles reçoivent une attestation.\n"
            "Une attestation, c'est un papier qui prouve ce que vous avez fait.\n"
            "\n"
            "De nouvelles personnes arrivent.\n"
            "Les anciens les aident à commencer."
        ),
        "source": (
            f"{RAPPORT}, lignes 453 et 458-459 (recommandations 1 et 6) ; {LIVRE_BLANC}, "
            "lignes 2433-2452 (recrutement en CDI à l'IRTS Paris, VAE, obstacles liés au "
            "statut), 5838-5845 (statut des experts d'usage), 5866-5878 (cinq formes de "
            "co-formation), 5880-5885 (label « empreinte de la participation »), 5903-5905, "
            "5993-5994 (instances dédiées), 6004-6013 (indemnisation, pérennisation, VAE), "
            "6242-6246 (jurys, régularité), 6609-6617 (CRPA tous les 3 mois)."
        ),
    },
]
FICHES.sort(key=lambda fiche: fiche["number"])  # written in the order they were drafted

for _fiche in FICHES:
    _fiche.setdefault("edition", EDITION)
    _fiche.setdefault("verified", False)


def seed_fiches() -> list[dict[str, Any]]:
    """A fresh copy of the ten fiches (callers may change what they get)."""
    return [dict(fiche) for fiche in FICHES]
