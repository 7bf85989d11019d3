"""Extraction beyond the seeds' phrasings: names no list holds, English text, places that are only venues,
media that report a deal, company deals. Short sentences written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract import extract
from graph.extract.evaluate import Resolver
from graph.extract.mentions import Candidate, capitalised_persons, person_name, qualified_body
from graph.ingest import load_document

ID = "https://w3id.org/cmkg/id/"


def read(tmp_path: Path, text: str, reference, nlp, boilerplate):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    return extract([load_document(path, boilerplate)], reference, nlp)


def names(result) -> set[tuple[str, str]]:
    return set(result.candidates.values())


def party_sets(agreements) -> list[set[str]]:
    """Each agreement's parties by the last part of their IRIs, in the agreements' order."""
    return [{p.rsplit("/", 1)[-1] for p in a.parties} for a in agreements]


def kinds_and_parties(agreements) -> list[tuple[str, set[str]]]:
    """Each agreement's kind and parties (:func:`party_sets`), in the agreements' order."""
    return list(zip([a.kind for a in agreements], party_sets(agreements)))


@pytest.mark.parametrize(
    ("text", "name", "cls"),
    [
        ("The deal was signed by UK minister Nusrat Ghani in London.", "Nusrat Ghani", "Person"),
        ("Kazakh Vice Minister Iran Sharkhan signed the roadmap.", "Iran Sharkhan", "Person"),
        ("Il a rencontré le président kazakh Kassym-Jomart Tokayev à Astana.", "Kassym-Jomart Tokayev", "Person"),
        (
            "Le ministre sud-africain du pétrole et des ressources minérales, Gwede Mantashe, a parlé.",
            "Gwede Mantashe",
            "Person",
        ),
        ("Amaroq Minerals said on Monday it had raised new funds.", "Amaroq Minerals", "Company"),
        ("Bolivia is evaluating a contract with Uranium One Group.", "Uranium One Group", "Company"),
        ("The agreement with Japan Australia Rare Earths was signed.", "Japan Australia Rare Earths", "Company"),
        (
            "Tariffs hit Huzhou Kaijin New Energy Technology last year.",
            "Huzhou Kaijin New Energy Technology",
            "Company",
        ),
        ("The DFC financed Serra Verde and Aclara Resources last year.", "Aclara Resources", "Company"),
        ("A state group, Finnish Metals Group, holds an option on Keliber.", "Finnish Metals Group", "Company"),
        (
            "Namibia's Ministry of Mines and Energy announced the ban.",
            "Ministry of Mines and Energy (Namibia)",
            "GovernmentBody",
        ),
    ],
)
def test_extract_general_names_no_list_holds(tmp_path, text, name, cls, reference, nlp, boilerplate):
    assert (name, cls) in names(read(tmp_path, text, reference, nlp, boilerplate))


@pytest.mark.parametrize(
    "text",
    ["In June the ministry met the press.", "The Argentine Foreign Minister spoke.", "They flew over James Bay."],
)
def test_extract_general_no_person_from_common_words(tmp_path, text, reference, nlp, boilerplate):
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Zambia and the United States signed a memorandum of understanding on copper in Lusaka.",
            {"Zambia", "United_States"},
        ),
        (
            "Reuters reported that Zambia and the United States signed a memorandum of understanding on copper.",
            {"Zambia", "United_States"},
        ),
        (
            "La Zambie et les États-Unis ont signé un protocole d'accord sur le cuivre au Kazakhstan.",
            {"Zambia", "United_States"},
        ),
        ("Un accord de paix a été signé entre Kinshasa et Kigali sous l'égide de Washington.", {"Congo", "Rwanda"}),
        (
            "The Senate committee approved the contract between Glencore and Albemarle for lithium.",
            {"Glencore", "Albemarle_Corporation"},
        ),
        (
            "Un accord a été signé entre le gouvernement congolais et l'entreprise suisse Glencore sur le cobalt.",
            {"Congo", "Glencore"},
        ),
        ("Bolivia is evaluating a contract with the Russian company Glencore for lithium.", {"Bolivia", "Glencore"}),
        ("Bolivia signed a lithium contract with Glencore worth US$ 970 million.", {"Bolivia", "Glencore"}),
    ],
)
def test_extract_general_parties_are_who_signs(tmp_path, text, parties, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = [
        {p.rsplit("/", 1)[-1].replace("Democratic_Republic_of_the_", "") for p in a.parties} for a in result.agreements
    ]
    assert found == [parties]


def test_extract_general_between_a_list_gives_one_agreement_per_partner(tmp_path, reference, nlp, boilerplate):
    text = (
        "Des accords entre les États-Unis et des partenaires, comme la Thaïlande et la Malaisie, portent sur le nickel."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert sorted(sorted(p.rsplit("/", 1)[-1] for p in a.parties) for a in result.agreements) == [
        ["Malaysia", "United_States"],
        ["Thailand", "United_States"],
    ]


def test_extract_general_company_deal_kind(tmp_path, reference, nlp, boilerplate):
    text = "Glencore signed an offtake agreement with Albemarle for lithium."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [(a.kind, sorted(p.rsplit("/", 1)[-1] for p in a.parties)) for a in result.agreements] == [
        ("offtake", ["Albemarle_Corporation", "Glencore"])
    ]


def test_extract_general_a_company_imposes_no_measure(tmp_path, reference, nlp, boilerplate):
    text = "Glencore welcomed the export ban on cobalt."
    assert read(tmp_path, text, reference, nlp, boilerplate).measures == []


def test_extract_general_english_project_named_before_its_trigger(tmp_path, reference, nlp, boilerplate):
    text = "First Quantum Minerals owns the Kansanshi copper mine in Zambia."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ("Kansanshi", "Mine") in {(p.name, p.kind) for p in result.projects}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mine was bought from Rimbal, a company controlled by a geologist.", [("Rimbal", "Company")]),
        ("Le site appartient à Cobalma, société de droit malien.", [("Cobalma", "Company")]),
        ("However, a company said no.", []),
        ("In November, the company announced a loan.", []),
        ("Il cite Ronald Lauder, héritier du groupe Estée Lauder.", []),
    ],
)
def test_extract_general_company_named_in_apposition(reference, text, expected):
    from graph.extract.mentions import apposed_companies

    assert [(c.name, c.cls) for c in apposed_companies(text, 0, [], reference)] == expected


def test_extract_general_person_name_drops_titles():
    assert person_name(["Legal", "Manager", "Pablo", "Nina"]) == "Pablo Nina"
    assert person_name(["Jorf", "Lasfar"]) is None


def test_extract_general_capitalised_persons_keep_document_offsets(reference):
    found = capitalised_persons("Minister Nusrat Ghani spoke.", 100, [], reference)
    assert [(c.name, c.start, c.end) for c in found] == [("Nusrat Ghani", 109, 121)]


def test_extract_general_body_without_state_keeps_its_name(reference):
    body = Candidate("Ministry of Mines", "GovernmentBody", 0, 17)
    assert qualified_body(body, [], reference) == body


def test_extract_general_evaluation_accepts_gold_surface_forms(reference):
    resolve = Resolver(reference).with_surfaces(
        [{"name": "Ministry of Mines and Energy (Namibia)", "surface": ["Mines and Energy Ministry"]}]
    )
    assert resolve("Mines and Energy Ministry (Namibia)") == resolve("Ministry of Mines and Energy (Namibia)")
    assert resolve("Mines and Energy Ministry") == resolve("Ministry of Mines and Energy (Namibia)")
    assert resolve("Ministry of Trade") != resolve("Ministry of Mines and Energy (Namibia)")


@pytest.mark.parametrize(
    ("text", "actor", "scope"),
    [
        ("75% of Tajikistan's gold production is held by Chinese companies.", "China", "Tajikistan"),
        ("75 % de la production d'or du Tadjikistan est détenue par des entreprises chinoises.", "China", "Tajikistan"),
        ("Chinese firms control 75% of Indonesia's nickel refining capacity.", "China", "Indonesia"),
        ("La Chine assure 90 % du raffinage mondial des terres rares.", "China", None),
    ],
)
def test_extract_general_share_scope(tmp_path, text, actor, scope, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [(s.actor, s.scope) for s in result.shares] == [(ID + actor, ID + scope if scope else None)]


def test_extract_general_scoped_share_is_not_a_world_share():
    import networkx as nx

    from graph.analysis.projection import world_shares

    G = nx.MultiDiGraph()
    G.add_node(
        "s",
        group="MarketShare",
        facts=[{"property": "stage", "value": "production"}, {"property": "percent", "value": "75"}],
    )
    for target, key in [("China", "actor"), ("Gold", "mineral"), ("Tajikistan", "scope")]:
        G.add_edge("s", target, key=key)
    assert world_shares(G) == []


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("L'accord a été signé à Pékin.", "Beijing_CN"),
        ("Pékin a imposé des licences d'exportation.", "China"),
        ("The memorandum was signed in Lusaka.", "Lusaka_ZM"),
        ("Moscou ambitionne d'accroître sa part de marché.", "Russia"),
        ("The signing took place in Peru's capital, Lima, on Thursday.", "Lima_PE"),
        ("A London-based consultancy said so.", "London"),
        ("Kampala, 5 juin 2025 – Le président a signé.", "Kampala_UG"),
        ("Jakarta, Indonesia Sentinel — Nickel output rose.", "Jakarta_ID"),
    ],
)
def test_extract_general_a_capital_is_the_venue_or_the_state(text, entity, reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    assert ID + entity in {m.entity for m in find_mentions(text, build_gazetteer(reference))}


def test_extract_general_no_city_spelling_folds_to_a_common_word(reference):
    from spacy.lang.fr.stop_words import STOP_WORDS

    from graph.extract.text import fold

    common = {fold(w) for w in STOP_WORDS}
    places = [e for e in reference.entities.values() if e.cls == "Place"]
    assert not [(e.name, a) for e in places for a in e.aliases if fold(a) in common]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The State Department said Argentina and the United States signed a memorandum on lithium.",
            [{"Argentina", "United_States"}],
        ),
        (
            "Canada has signed offtake agreements for graphite with Rio Tinto and Nouveau Monde Graphite.",
            [{"Canada", "Rio_Tinto"}, {"Canada", "Nouveau_Monde_Graphite"}],
        ),
        (
            "Under the deals with Glencore, Albemarle and Eramet, Tanzania will hold a 16% stake in each company.",
            [{"Tanzania", "Glencore"}, {"Tanzania", "Albemarle_Corporation"}, {"Tanzania", "Eramet"}],
        ),
        (
            "Canada has signed offtake agreements for graphite with Rio Tinto and Eramet.",
            [{"Canada", "Rio_Tinto"}, {"Canada", "Eramet"}],
        ),
    ],
)
def test_extract_general_party_sets(tmp_path, text, expected, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = party_sets(result.agreements)
    assert sorted(found, key=sorted) == sorted(expected, key=sorted)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "China dominates the chain. The country refines 99% of battery-grade graphite.",
            [("China", "Graphite", "refining")],
        ),
        (
            "China supplies around 90 percent of the world's rare earths.",
            [("China", "Rare_earth_elements", "production")],
        ),
        ("Les droits de douane sur les importations chinoises de gallium passent à 54 %.", []),
        ("Critical Metals took a 42% stake in the rare earth project.", []),
        (
            "According to the International Energy Agency, China accounts for 70% of cobalt refining.",
            [("China", "Cobalt", "refining")],
        ),
        (
            "Cobalt is used in batteries. Graphite, 60% of which comes from China, is used in lithium-ion anodes.",
            [("China", "Graphite", "production")],
        ),
        (
            "Le graphite, dont 60 % provient de Chine, entre dans les batteries au lithium.",
            [("China", "Graphite", "production")],
        ),
        (
            "Le projet vise à réduire la dépendance vis-à-vis de la Chine, qui fournit 98 % des terres rares "
            "utilisées en Europe.",
            [("China", "Rare_earth_elements", "imports")],
        ),
        ("L'Europe vise à réduire à 65 % sa dépendance au lithium chinois.", []),
        (
            "Le cobalt – dont la RDC détient 72% des réserves mondiales – ainsi que le cuivre.",
            [("Democratic_Republic_of_the_Congo", "Cobalt", "reserves")],
        ),
        (
            "China supplies 80% of Japan's imports of nickel. The study lists further dependencies: "
            "35% for cobalt, 52% for tungsten.",
            [
                ("China", "Nickel", "imports"),
                ("China", "Cobalt", "imports"),
                ("China", "Tungsten", "imports"),
            ],
        ),
        (
            "China supplies 80% of Japan's imports of nickel.\n\nThe study lists 35% for cobalt, 52% for tungsten.",
            [("China", "Nickel", "imports")],
        ),
        # a stage of an earlier figure is not this one's; a refining word right after the production's mineral is
        (
            "La Chine détient un tiers des réserves mondiales, et environ la moitié de la production d'antimoine "
            "raffiné.",
            [("China", "Antimony", "reserves"), ("China", "Antimony", "refining")],
        ),
        # what a state provides of the world's supply is its production
        (
            "In 2023, Indonesia provided more than half the nickel ore supply globally.",
            [("Indonesia", "Nickel", "production")],
        ),
        # a company held at a percentage by another is a stake, no share
        ("SQM, l'un des principaux producteurs mondiaux de lithium, est contrôlé à 22% par le groupe Tianqi.", []),
        # a name before a report word tells where the figures come from; the list goes on with China
        (
            "China supplies 80% of Japan's imports of nickel. The OECD report lists further dependencies: "
            "35% for cobalt, 52% for tungsten.",
            [
                ("China", "Nickel", "imports"),
                ("China", "Cobalt", "imports"),
                ("China", "Tungsten", "imports"),
            ],
        ),
        # a group's name in the singular after an article points back to the last mineral named
        (
            "Cobalt is a case in point.\nChina accounted for 78% of global refined output of the battery metal.",
            [("China", "Cobalt", "refining")],
        ),
        # where the holder works is not the holder
        (
            "Boliden operates mines in Northern Sweden and produces about 40% of Europe's zinc.",
            [("Boliden", "Zinc", "production")],
        ),
        # magnets right after the production word; the world's supply in French; a share of GDP is none
        (
            "La Chine représente 60% de la production minière mondiale et 90% de la production d'aimants permanents "
            "de terres rares.",
            [("China", "Rare_earth_elements", "extraction"), ("China", "Rare_earth_elements", "magnets")],
        ),
        (
            "La Chine représente environ 70 % de l'approvisionnement mondial en graphite.",
            [("China", "Graphite", "production")],
        ),
        ("Le cuivre contribue à hauteur de 10 à 15% au PIB du Chili.", []),
        # a consumer after a use word; the world's production named right after the figure stays production; the
        # market before a refining figure is no stage of it
        (
            "Actuellement, 97 % du graphite naturel utilisé par l'UE provient de la Chine.",
            [("China", "Graphite", "imports")],
        ),
        (
            "La stabilité des importations passera par Pékin, qui fournit près de 90 % de la production mondiale de "
            "terres rares.",
            [("China", "Rare_earth_elements", "production")],
        ),
        (
            "La Chine domine le marché mondial avec 76% de la production totale de cobalt raffiné en 2022.",
            [("China", "Cobalt", "refining")],
        ),
        # a group named after the figure: the mineral the clause named before it
        (
            "Madagascar's share of global natural graphite output has risen to roughly 12% today, says a consultancy "
            "on critical minerals.",
            [("Madagascar", "Graphite", "production")],
        ),
        # a figure for a list of minerals holds for each; *celui de* takes the last figure's stage
        (
            "La Chine assure plus de la moitié du raffinage mondial du lithium et du cobalt, et près de 80 % de "
            "celui des terres rares.",
            [
                ("China", "Lithium", "refining"),
                ("China", "Cobalt", "refining"),
                ("China", "Rare_earth_elements", "refining"),
            ],
        ),
        # a stage after the mineral and a conjunction is another predicate's: the verb's stage
        (
            "Niger produces about 5 percent of the world's uranium and has large reserves of gold.",
            [("Niger", "Uranium", "production")],
        ),
        # a stake bought in a company is no share
        ("En mars 2024, Zijin acquérait 30% de l'australien Junction Mining, un producteur de cuivre.", []),
        # a list cut by a semicolon is no list of the figure's
        (
            "Chile produced about 24% of global lithium production; the country also holds copper and nickel.",
            [("Chile", "Lithium", "production")],
        ),
    ],
)
def test_extract_general_shares_beyond_the_seeds(tmp_path, text, expected, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = [(s.actor.rsplit("/", 1)[-1], s.mineral.rsplit("/", 1)[-1], s.stage) for s in result.shares]
    assert found == expected


def test_extract_general_evaluation_gold_name_written_as_a_listed_entity(reference):
    resolve = Resolver(reference).with_surfaces(
        [{"name": "Critical Metals", "type": "Company", "surface": ["Critical Metals Corp"]}]
    )
    assert resolve("Critical Metals") == resolve("Critical Metals Corp") == ID + "Critical_Metals_Corp"


def test_extract_general_forum_named_as_a_partnership_lists_its_members(tmp_path, reference, nlp, boilerplate):
    # the alias MSP holds no trigger word; its name does, so the members listed with it are the parties
    text = "The MSP's members are India, the United States, Australia, Japan and the European Union."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [(a.kind, sorted(p.rsplit("/", 1)[-1] for p in a.parties)) for a in result.agreements] == [
        ("partnership", ["Australia", "European_Union", "India", "Japan", "United_States"])
    ]


def test_extract_general_organisation_named_like_a_treaty_is_no_agreement(reference):
    from graph.extract.relations import Patterns, named_agreements

    names = {"a": "Minerals Security Partnership", "b": "Collective Security Treaty Organization"}
    assert named_agreements(names, Patterns(reference.lexicon)) == {"a": "partnership"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("First Quantum owns the Kansanshi and Sentinel copper mines in Zambia.", {"Kansanshi", "Sentinel"}),
        ("Panama ordered the shutdown of its flagship Cobre Panama mine.", {"Cobre Panama"}),
        ("KoBold vise le gisement de lithium de Manono, l'un des plus grands.", {"Manono"}),
        ("Orano est en conflit avec Niamey concernant la mine de Kolwezi.", {"Kolwezi"}),
        ("Les ouvriers de la mine de Glencore ont fait grève.", set()),
        ("Belgrade a révoqué les licences du projet de lithium Jadar de Rio Tinto.", {"Jadar"}),
        (
            "Canada launched the Critical Minerals Infrastructure Fund this year.",
            {"Critical Minerals Infrastructure Fund"},
        ),
        ("Le ministre congolais des Mines, Kizito Pakabomba, a signé.", set()),
        ("The Export and Investment Fund of Denmark invested in Amaroq.", set()),
        ("US Exim offered a loan to Critical Metals for the Tanbreez Project in Greenland.", {"Tanbreez"}),
        ("The deal includes its unit that owns Morococha mine in Peru.", {"Morococha"}),
        ("The bank backs Greenland Resources' Malmbjerg molybdenum project.", {"Malmbjerg"}),
        ("The bank backs Vulcan's lithium extraction project in Germany.", set()),
        ("The venture will merge Lithium Argentina's Sal de la Puna project.", {"Sal de la Puna"}),
        ("Manara eyes First Quantum's Zambian Copper Mines.", set()),
        ("Production began in April mine by mine.", set()),
    ],
)
def test_extract_general_project_names(tmp_path, text, expected, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert {p.name for p in result.projects if p.name} == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mineral Resources Minister Gwede Mantashe said the cabinet agreed.", "Gwede Mantashe"),
        ("Le ministre du Commerce et de l’Industrie, Parks Tau, a insisté.", "Parks Tau"),
        ("Il rencontrera le maire d’Oulan-Bator, Khishgeegiin Nyambaatar, demain.", "Khishgeegiin Nyambaatar"),
        ("India joined during Prime Minister Narendra Modi's state visit.", "Narendra Modi"),
    ],
)
def test_extract_general_person_named_after_a_role(reference, text, name):
    from graph.extract.mentions import role_persons

    assert [(c.name, c.cls) for c in role_persons(text, 0, [], reference)] == [(name, "Person")]


@pytest.mark.parametrize(
    "text", ["The Energy Minister Said On Monday it was over.", "Le ministre des Mines, Glencore Mining, refuse."]
)
def test_extract_general_no_role_person_from_words_or_companies(reference, text):
    from graph.extract.mentions import role_persons

    assert role_persons(text, 0, [], reference) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Le ministère chilien des affaires étrangères a annoncé l'accord.",
            "Ministère chilien des affaires étrangères (Chile)",
        ),
        (
            "Le ministère bolivien des Hydrocarbures et de l'Énergie a signé.",
            "Ministère bolivien des Hydrocarbures et de l'Énergie (Bolivia)",
        ),
        ("Au Mali, le ministère des Mines finance la route.", "Ministère des Mines (Mali)"),
    ],
)
def test_extract_general_french_body_in_lower_case(tmp_path, text, name, reference, nlp, boilerplate):
    assert (name, "GovernmentBody") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_french_body_without_its_state_is_left_out(tmp_path, reference, nlp, boilerplate):
    text = "Le ministère de la Défense a pris des participations."
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "GovernmentBody"]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # a rival in a long sentence: the cue is read however far the name is from the start of the sentence
        (
            "Washington DC: The US has signed a deal with Ukraine on the joint exploitation of its energy and mineral"
            " resources to drive Ukraine's economic recovery from the ongoing war with Russia.",
            {"Ukraine", "United_States"},
        ),
        # a short name in brackets is as excluded as the name before it
        (
            "Le ministre a quitté l'Europe, hors de l'Union européenne (UE), pour la signature par Orano d'un contrat"
            " avec la Mongolie sur l'uranium.",
            {"Orano", "Mongolia"},
        ),
        # after the trigger's clause, a subordinate clause names no party
        (
            "Glencore is in talks to sell a stake in its mines to Albemarle after the Panama government ordered a"
            " shutdown.",
            {"Glencore", "Albemarle_Corporation"},
        ),
    ],
)
def test_extract_general_parties_beyond_exclusions(tmp_path, text, parties, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert party_sets(result.agreements) == [parties]


def test_extract_general_share_holder_opening_a_relative_clause(tmp_path, reference, nlp, boilerplate):
    text = (
        "The US seeks to reduce dependence on China, which accounts for around 60 percent of global rare earth mining."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [(s.actor.rsplit("/", 1)[-1], float(s.percent)) for s in result.shares] == [("China", 60.0)]


def test_extract_general_single_party_agreement_needs_a_state_or_a_forum(tmp_path, reference, nlp, boilerplate):
    text = "Bolivia is evaluating a contract to produce lithium."
    assert [a.parties for a in read(tmp_path, text, reference, nlp, boilerplate).agreements] == [(ID + "Bolivia",)]
    text = "Glencore is evaluating a contract to produce lithium."
    assert read(tmp_path, text, reference, nlp, boilerplate).agreements == []


def test_extract_general_measure_of_a_body_whose_state_goes_unsaid(tmp_path, reference, nlp, boilerplate):
    text = (
        "Namibia wants more value from its mines.\n\n"
        "A spokesperson of the Mines and Energy Ministry said the export ban on lithium starts in June."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [(m.kind, m.imposer) for m in result.measures] == [("ExportControl", ID + "Namibia")]


@pytest.mark.parametrize(
    "text",
    [
        "The Democratic Republic of the Congo has extended its temporary suspension of cobalt exports.",
        "Namibia has decided to put restrictions on the export of unprocessed lithium.",
    ],
)
def test_extract_general_export_control_phrasings(tmp_path, text, reference, nlp, boilerplate):
    assert [m.kind for m in read(tmp_path, text, reference, nlp, boilerplate).measures] == ["ExportControl"]


def test_extract_general_the_company_in_a_deal_is_the_last_company_named(tmp_path, reference, nlp, boilerplate):
    text = "Glencore runs a cobalt mine in Zambia.\n\nIn November, the company announced a loan from the DFC."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [sorted(p.rsplit("/", 1)[-1] for p in a.parties) for a in result.agreements] == [
        ["Glencore", "United_States_International_Development_Finance_Corporation"]
    ]


def test_extract_general_partners_listed_with_an_unsaid_subject(tmp_path, reference, nlp, boilerplate):
    # the minister speaks for South Africa, which the article names most; the partners are listed after "avec"
    text = (
        "L'Afrique du Sud veut transformer ses minerais. L'Afrique du Sud exporte du platine.\n\n"
        "Le ministre a salué les récents accords commerciaux conclus avec la Chine et l'UE."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert sorted(sorted(p.rsplit("/", 1)[-1] for p in a.parties) for a in result.agreements) == [
        ["China", "South_Africa"],
        ["European_Union", "South_Africa"],
    ]


def test_extract_general_a_subject_after_the_partner_is_no_list(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Chine domine le marché.\n\nLors d'un échange avec Vladimir Poutine, Donald Trump a évoqué des "
        "investissements communs dans l'Arctique."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert all(ID + "China" not in a.parties for a in result.agreements)


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("The minister travelled to Astana in March.", "Astana_KZ"),
        ("Astana has signed a roadmap with London.", "Kazakhstan"),
    ],
)
def test_extract_general_capital_after_a_travel_word_is_the_city(tmp_path, text, entity, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ID + entity in {m.entity for m in result.mentions}


@pytest.mark.parametrize(
    ("text", "word", "credited"),
    [
        ("By Xinhua", "Xinhua", True),
        ("Miners at work, June 20. (PHOTO/AFP)", "AFP", True),
        ("WINDHOEK, June 8 (Xinhua) -- Namibia has decided.", "Xinhua", True),
        ("Sydney, Australie | AFP | jeudi", "AFP", True),
        ("Three people familiar with the details told Reuters.", "Reuters", False),
    ],
)
def test_extract_general_agency_credits(text, word, credited):
    from graph.extract import credit

    start = text.index(word)
    assert credit(text, start, start + len(word)) is credited


def test_extract_general_credited_agency_is_not_a_mention(tmp_path, reference, nlp, boilerplate):
    text = "WINDHOEK, June 8 (Xinhua) -- Namibia has banned lithium exports, AFP reported."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    found = {m.entity.rsplit("/", 1)[-1] for m in result.mentions}
    assert "Agence_France_Presse" in found and "Xinhua_News_Agency" not in found


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Les dirigeants se sont réunis à Kananaskis en juin.", "Kananaskis"),
        ("Le projet se trouve près de la ville de Loznica, en Serbie.", "Loznica"),
    ],
)
def test_extract_general_place_no_list_holds_after_a_locative(tmp_path, text, place, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert (place, "Place") in names(result) or ID + place in {m.entity for m in result.mentions}


def test_extract_general_no_place_from_a_currency(tmp_path, reference, nlp, boilerplate):
    result = read(tmp_path, "The loan is worth up to 120 million in US$ terms.", reference, nlp, boilerplate)
    assert not [n for n, cls in names(result) if cls == "Place"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("La Bolivie a signé un accord avec Glencore pour deux usines de batteries au lithium.", 1),
        ("Glencore said the plant was running again.", 0),
    ],
)
def test_extract_general_unnamed_plant_counted_or_priced(tmp_path, text, count, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert len([p for p in result.projects if p.kind == "Plant" and p.name is None]) == count


def test_extract_general_a_body_signs_for_its_state_between_states(tmp_path, reference, nlp, boilerplate):
    text = "Argentina signed a memorandum on lithium with the United States Department of State."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [sorted(p.rsplit("/", 1)[-1] for p in a.parties) for a in result.agreements] == [
        ["Argentina", "United_States"]
    ]


def test_extract_general_nationality_alone_is_no_party_to_a_company_deal(tmp_path, reference, nlp, boilerplate):
    text = "Glencore's sale of a stake in the Zambian copper assets to Albemarle could close by year-end."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert all(ID + "Zambia" not in a.parties for a in result.agreements)


def test_extract_general_project_named_in_apposition(tmp_path, reference, nlp, boilerplate):
    text = "L'Australie investit (le principal site minier du pays, Mount Weld, doit être étendu)."
    assert [p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects] == ["Mount Weld"]


def test_extract_general_the_fund_is_the_documents_one_named_fund(tmp_path, reference, nlp, boilerplate):
    text = (
        "Canada and Zambia signed an agreement establishing the Zambia Copper Reconstruction Fund.\n\n"
        "The fund also acknowledges the support provided by Japan since 2022."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert {p.name for p in projects} == {"Zambia Copper Reconstruction Fund"}
    assert all(ID + "Japan" not in p.participants for p in projects)


def test_extract_general_unnamed_funds_with_the_same_participants_are_one(tmp_path, reference, nlp, boilerplate):
    text = (
        "Canada and Zambia set up a copper investment fund.\n\n"
        "Zambia and Canada will manage the new investment fund together."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert len({(p.kind, p.participants) for p in projects}) == 1


def test_extract_general_two_mentions_of_one_export_restriction_are_one_measure(tmp_path, reference, nlp, boilerplate):
    text = (
        "Namibia has decided to restrict the export of unprocessed lithium.\n\n"
        "On 8 June 2023 the cabinet authorised the restriction of exports of lithium, cobalt and graphite."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert len({(m.kind, m.imposer, m.minerals, m.date) for m in measures}) == 1


def test_extract_general_export_controls_on_other_minerals_stay_apart(tmp_path, reference, nlp, boilerplate):
    text = (
        "In August 2023 China imposed export controls on gallium and germanium.\n\n"
        "In September 2024 China imposed export controls on antimony."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert len({(m.minerals, m.date) for m in measures}) == 2


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Tau-Ken Samruk signed a joint venture agreement with the United States company Cove Capital.",
            {"Tau_Ken_Samruk", "Cove_Capital"},
        ),
        (
            "Zambia signed a memorandum of understanding with Saudi Arabia during a visit to the United States.",
            {"Zambia", "Saudi_Arabia"},
        ),
    ],
)
def test_extract_general_a_state_named_as_nationality_or_venue_is_no_party(
    tmp_path, text, parties, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [parties]


@pytest.mark.parametrize(
    "text",
    [
        "Le partenariat répond aux restrictions de la Chine sur les exportations de terres rares, selon les États-Unis.",
        "The alliance answers the restrictions of China on exports of rare earths, the United States said.",
    ],
)
def test_extract_general_a_measure_s_author_in_its_genitive(tmp_path, text, reference, nlp, boilerplate):
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures] == [("ExportControl", "China")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le pays a resserré les exportations de graphite depuis décembre dernier et, depuis août dernier, "
            "a restreint les exportations de gallium.",
            [("Graphite",), ("Gallium",)],
        ),
        ("Indonesia banned nickel ore exports in 2020.", [("Nickel",)]),
        ("Indonesia stopped exports of nickel ore in 2020.", [("Nickel",)]),
        ("Zambia said cobalt exports were banned until further notice.", [("Cobalt",)]),
        ("China announced new licensing requirements for rare earth exports.", [("Rare_earth_elements",)]),
        ("Les Philippines ont adopté un texte interdisant les exportations de minerai de nickel.", [("Nickel",)]),
        ("L'UE tente de convaincre ses partenaires de renoncer à toute restriction aux exportations de cobalt.", []),
        ("La RDC a suspendu pour 4 mois, à partir du 22 février, ses exportations de cobalt.", [("Cobalt",)]),
    ],
)
def test_extract_general_export_controls_in_the_texts_own_words(tmp_path, text, expected, reference, nlp, boilerplate):
    context = "La Chine domine le marché. " if text.startswith("Le pays") else ""
    measures = read(tmp_path, context + text, reference, nlp, boilerplate).measures
    assert [tuple(m.rsplit("/", 1)[-1] for m in x.minerals) for x in measures] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depuis décembre dernier et, depuis août dernier,", ["2023-12", "2023-08"]),
        ("since last December", ["2023-12"]),
        ("The plant opens in December.", ["2024-12"]),
        ("The plant opened in May 2024.", ["2024-05"]),
        ("Exports may rise.", []),
        # 2024-08-15 is a Thursday: *on Thursday* is that day, *on Monday* the Monday before
        ("The ministry said on Thursday that it had met on Monday.", ["2024-08-15", "2024-08-12"]),
    ],
)
def test_extract_general_months_without_a_year(text, expected, reference):
    from graph.extract.values import find_dates

    assert [d.iso for d in find_dates(text, reference.lexicon, "2024-08-15")] == expected


def test_extract_general_a_one_word_place_is_a_proper_name(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    gazetteer = build_gazetteer(reference)
    assert not [m for m in find_mentions("Un goût salé, puis le détroit.", gazetteer) if m.via != "demonym"]
    assert [m.text for m in find_mentions("Le port de Salé et Kolwezi.", gazetteer)] == ["Salé", "Kolwezi"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Eramet a lancé un fonds dédié aux métaux critiques.\n\nLe fonds investira avec le Japon dans le lithium.",
            [("Fund", ("Eramet",))],
        ),
        ("Panasonic investira 25 millions de dollars en fonds propres dans Nouveau Monde Graphite.", []),
        (
            "Glencore va s'allier à Yacimientos de Litio Bolivianos (YLB) pour construire deux usines de lithium.",
            [("Plant", ("Glencore", "Yacimientos_de_Litio_Bolivianos"))],
        ),
        ("Glencore finance des projets en République démocratique du Congo.", []),
        ("Le lithium viendra de l'usine de Glencore au Québec.", [("Plant", ("Glencore",))]),
        ("Sumitomo Metal Mining plans a nickel plant in Japan.", [("Plant", ("Sumitomo_Metal_Mining",))]),
    ],
)
def test_extract_general_unnamed_projects(tmp_path, text, expected, reference, nlp, boilerplate):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    found = {(p.kind, tuple(sorted(x.rsplit("/", 1)[-1] for x in p.participants))) for p in projects if not p.name}
    assert sorted(found) == expected and not [p.name for p in projects if p.name]


def test_extract_general_evaluation_project_names_without_their_kind_words(reference):
    resolve = Resolver(reference)
    assert resolve.project("Zero Carbon Lithium Project") == resolve.project("Zero Carbon Lithium")
    assert resolve.project("Salar de Maricunga") == resolve.project("Maricunga")
    assert resolve.project("Maricunga") != resolve.project("Atacama")
    assert resolve.project("Ewoyaa Lithium Project") == resolve.project("Ewoyaa")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "General Motors et Panasonic investissent dans Nouveau Monde Graphite.",
            [{"General_Motors", "Nouveau_Monde_Graphite"}, {"Panasonic_Holdings", "Nouveau_Monde_Graphite"}],
        ),
        (
            "Glencore and Albemarle have secured funding from the US International Development Finance Corporation.",
            [
                {"Glencore", "United_States_International_Development_Finance_Corporation"},
                {"Albemarle_Corporation", "United_States_International_Development_Finance_Corporation"},
            ],
        ),
        (
            "Albemarle will invest $50 million in Australia-listed Vulcan Energy, becoming its second shareholder.",
            [{"Albemarle_Corporation", "Vulcan_Energy_Resources"}],
        ),
        ("Le Canada doit investir dans le secteur des minéraux critiques.", []),
        ("In 2023 the United States announced a $150 million loan for critical minerals.", []),
    ],
)
def test_extract_general_investments_told_with_a_verb(tmp_path, text, expected, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    found = [{p.rsplit("/", 1)[-1] for p in a.parties} for a in agreements if a.kind == "investment"]
    assert sorted(found, key=sorted) == sorted(expected, key=sorted)


def test_extract_general_an_ambiguous_company_needs_company_context(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    gazetteer = build_gazetteer(reference)
    company = ID + "Tesla"
    assert company in {m.entity for m in find_mentions("It supplies Tesla's electric vehicle batteries.", gazetteer)}
    assert company not in {m.entity for m in find_mentions("A field of one tesla was applied.", gazetteer)}


def test_extract_general_a_possessive_apostrophe_is_not_part_of_a_name(tmp_path, reference, nlp, boilerplate):
    text = "Tanzania signed the deals, part of President Samia Suluhu Hassan’s drive to attract miners."
    found = {name for name, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"}
    assert not [n for n in found if n.endswith(("'", "’"))]


def test_extract_general_a_companys_nationality_imposes_nothing(tmp_path, reference, nlp, boilerplate):
    text = (
        "Le Niger a repris le contrôle de la mine, selon l'entreprise française.\n\n"
        "Orano conteste.\n\nLa coentreprise fait l'objet d'une nationalisation annoncée en juin par les militaires."
    )
    text = text.replace("\n\nOrano conteste.\n\n", " ")
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [m.imposer.rsplit("/", 1)[-1] for m in measures] == ["Niger"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Les promesses d'accords miniers entre la RDC et les États-Unis se précisent.",
            [{"Democratic_Republic_of_the_Congo", "United_States"}],
        ),
        ("Le Chili et le Pérou sont d'accord sur ce point.", []),
        (
            "L'Inde a signé des accords avec des pays fournisseurs à travers la société Glencore.",
            [],
        ),
    ],
)
def test_extract_general_french_agreement_words(tmp_path, text, expected, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == expected


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("a $9.8 bn investment", "9800000000.0", "USD"),
        ("a $ 300 mn nickel mine", "300000000", "USD"),
        ("C$165M in federal loans", "165000000", "CAD"),
        ("un fonds de 216 M€", "216000000", "EUR"),
    ],
)
def test_extract_general_money_with_the_currency_sign_first(text, value, currency, reference):
    from graph.extract.values import find_money

    assert [(str(m.value), m.currency) for m in find_money(text, reference.lexicon)] == [(value, currency)]


def test_extract_general_the_company_builds_a_priced_plant(tmp_path, reference, nlp, boilerplate):
    text = "Glencore announced new investments in Zambia.\n\nThe company will build a $3.5 bn smelter there."
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [(p.kind, [x.rsplit("/", 1)[-1] for x in p.participants]) for p in projects] == [("Refinery", ["Glencore"])]


def test_extract_general_nationalities_make_no_pair_for_later_sentences(tmp_path, reference, nlp, boilerplate):
    text = (
        "Glencore is in talks to sell a stake in a Zambian copper mine to a Saudi fund. "
        "There is no certainty that a deal on copper will be signed."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert not [a for a in agreements if {ID + "Zambia", ID + "Saudi_Arabia"} <= set(a.parties)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Namibian government said that the cabinet had authorised a restriction.", "Cabinet (Namibia)"),
        ("The Mexican Congress approved the lithium law.", "Mexican Congress (Mexico)"),
        ("Le contrat a été adopté par le Parlement mongol le 10 janvier.", "Parlement mongol (Mongolia)"),
        ("South Africa's Cabinet approved the strategy.", "Cabinet (South Africa)"),
    ],
)
def test_extract_general_institutions_named_by_what_they_are(tmp_path, text, name, reference, nlp, boilerplate):
    assert (name, "GovernmentBody") in names(read(tmp_path, text, reference, nlp, boilerplate))


@pytest.mark.parametrize("text", ["The cabinet met on Monday.", "In South Africa, the African National Congress won."])
def test_extract_general_no_institution_without_its_state(tmp_path, text, reference, nlp, boilerplate):
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert not [n for n, cls in found if cls == "GovernmentBody" and n.startswith(("Cabinet", "Congress"))]


def test_extract_general_a_name_joined_to_a_company_is_a_company(tmp_path, reference, nlp, boilerplate):
    text = "Two companies, Serra Verde and Aclara Resources, have secured funding from the DFC."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Serra Verde", "Company") in found and ("Serra Verde", "Person") not in found


@pytest.mark.parametrize(
    ("text", "imposer", "targets"),
    [
        ("The US imposes a 93.5% anti-dumping tariff on Chinese graphite imports.", "United_States", ["China"]),
        ("L'Union européenne impose des droits de douane sur le graphite chinois.", "European_Union", ["China"]),
        ("The US faces constraints from China's export restrictions on gallium.", "China", []),
    ],
)
def test_extract_general_what_a_measure_is_on_is_its_target(
    tmp_path, text, imposer, targets, reference, nlp, boilerplate
):
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [(m.imposer.rsplit("/", 1)[-1], [t.rsplit("/", 1)[-1] for t in m.targets]) for m in measures] == [
        (imposer, targets)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dependence on China was also high for gallium (98%), graphite (97%) and indium (93%).",
            {("Gallium", 98), ("Graphite", 97), ("Indium", 93)},
        ),
        (
            "China accounted for 65% of imports of lithium, and 78% and 63% of niobium and silicon came from China,"
            " respectively.",
            {("Lithium", 65), ("Niobium", 78), ("Silicon", 63)},
        ),
    ],
)
def test_extract_general_shares_listed_with_their_minerals(tmp_path, text, expected, reference, nlp, boilerplate):
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert {(s.mineral.rsplit("/", 1)[-1], int(s.percent)) for s in shares} == expected
    assert {(s.actor.rsplit("/", 1)[-1], s.stage) for s in shares} == {("China", "imports")}


def test_extract_general_the_companies_are_the_last_two_named(tmp_path, reference, nlp, boilerplate):
    text = (
        "Francis Escudero backed a plan by DMCI Mining Corp. and Nickel Asia Corp. to build a nickel plant.\n\n"
        "In a filing on Wednesday, the companies said that they had signed a memorandum of understanding."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ("DMCI Mining", "Company") in names(result)  # named without its legal form
    parties = party_sets(result.agreements)
    assert parties == [{"DMCI_Mining", "Nickel_Asia_Corporation"}]


def test_extract_general_a_bill_named_with_a_company_word_is_no_company(tmp_path, reference, nlp, boilerplate):
    text = "He added a provision to the Enhanced Fiscal Regime for Large-Scale Metallic Mining bill last month."
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"]


def test_extract_general_evaluation_matches_a_company_without_its_legal_form(reference):
    gold = [{"name": "Pluspetrol Resource Corp", "type": "Company", "surface": ["Pluspetrol Resource Corp"]}]
    resolve = Resolver(reference).with_surfaces(gold)
    assert resolve("Pluspetrol Resource") == resolve("Pluspetrol Resource Corp")
    assert resolve("Pluspetrol") != resolve("Pluspetrol Resource Corp")


def test_extract_general_the_department_imposes_for_its_state(tmp_path, reference, nlp, boilerplate):
    text = (
        "The US Commerce Department announced anti-dumping duties on graphite.\n\n"
        "In a related inquiry, the department imposed a countervailing duty of 6.55% for most Chinese producers."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert {m.imposer.rsplit("/", 1)[-1] for m in measures} == {"United_States"}
    assert len(measures) == 2


def test_extract_general_a_body_whose_state_comes_later_imposes_for_it(tmp_path, reference, nlp, boilerplate):
    text = (
        "The Senate Chief introduced a provision which prohibits the exports of raw minerals.\n\n"
        "The Philippines is among the biggest exporters of raw nickel."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures] == [("ExportControl", "Philippines")]


def test_extract_general_controls_on_exports(tmp_path, reference, nlp, boilerplate):
    text = "Supply instability is mounting due to China's controls on exports of critical minerals."
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures] == [("ExportControl", "China")]


def test_extract_general_states_inside_a_company_name_are_no_parties(tmp_path, reference, nlp, boilerplate):
    text = "Lynas Rare Earths signed an agreement with Japan Australia Rare Earths, owned by Sojitz Corp."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert agreements and not [p for a in agreements for p in a.parties if p.endswith(("/Japan", "/Australia"))]


def test_extract_general_person_names_without_state_honorific_or_capitals(tmp_path, reference, nlp, boilerplate):
    text = (
        "It was signed in the presence of the Ambassador of India to Argentina HE Dinesh Bhatia and of the "
        "state-owned CATAMARCA MINERA Y ENERGETICA SOCIEDAD DEL ESTADO."
    )
    persons = {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"}
    assert persons == {"Dinesh Bhatia"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The Jadar mine holds significant lithium reserves.", "Jadar"),
        (
            'Ce gisement de terres rares a été nommé "Nouveau Kazakhstan", en honneur du président.',
            "Nouveau Kazakhstan",
        ),
        ("The deposit, dubbed “Tanbreez”, holds rare earths.", "Tanbreez"),
    ],
)
def test_extract_general_project_names_in_other_forms(tmp_path, text, name, reference, nlp, boilerplate):
    assert [p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects] == [name]


def test_extract_general_a_body_named_with_its_demonym_signs_with_a_company(tmp_path, reference, nlp, boilerplate):
    text = (
        "Le département américain de la Défense a signé un accord de 120 millions de dollars avec l’australien "
        "Lynas Rare Earths, dans le cadre des efforts de Washington pour contrer la domination de la Chine."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"United_States_Department_of_Defense", "Lynas_Rare_Earths"}]


def test_extract_general_an_ambiguous_company_confirmed_once_is_named_everywhere(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    gazetteer = build_gazetteer(reference)
    ford = ID + "Ford_Motor_Company"
    text = "Ford et Nemaska ont annoncé une entente. Le constructeur automobile Ford achètera du lithium."
    assert [m.text for m in find_mentions(text, gazetteer) if m.entity == ford] == ["Ford", "Ford"]
    # listed with a company it is one (*Ford et Nemaska ont annoncé*), with a place it is not confirmed
    assert ford in {m.entity for m in find_mentions("Ford et Nemaska ont annoncé une entente.", gazetteer)}
    assert ford not in {m.entity for m in find_mentions("Ford et le Québec ont annoncé une entente.", gazetteer)}
    # a mineral near it confirms it too (*Ford et Nemaska Lithium*), but not a lower-case *ford*
    assert ford in {m.entity for m in find_mentions("Ford et Nemaska Lithium ont annoncé une entente.", gazetteer)}
    assert ford not in {
        m.entity for m in find_mentions("They had to ford the river to reach the nickel mine.", gazetteer)
    }


def test_extract_general_a_person_in_apposition_after_a_company_stays_a_person(tmp_path, reference, nlp, boilerplate):
    text = "Le président du conseil de Nemaska Lithium, Gervais Jacques, a parlé dans le communiqué."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Gervais Jacques", "Company") not in found


def test_extract_general_korea_alone_is_south_korea_and_north_korea_stays(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    gazetteer = build_gazetteer(reference)
    found = [
        m.entity.rsplit("/", 1)[-1] for m in find_mentions("Korea imports gallium; North Korea does not.", gazetteer)
    ]
    assert found[:1] == ["South_Korea"] and "North_Korea" in found


def test_extract_general_a_bill_number_is_no_person(tmp_path, reference, nlp, boilerplate):
    text = "The Senate introduced a provision to Senate Bill No. 2826 last month."
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"]


def test_extract_general_the_parties_are_the_last_two_companies_without_a_pair_of_states(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "According to Tau-Ken Samruk, Xiamen Tungsten expressed interest in the deposit in 2018.\n\n"
        "That year, the parties signed a memorandum of understanding on tungsten."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Tau_Ken_Samruk", "Xiamen_Tungsten"}]


def test_extract_general_a_source_is_no_holder_and_sous_reserve_no_stockpile(tmp_path, reference, nlp, boilerplate):
    text = (
        "La production mondiale de lithium a fait un bond de 21 %, selon les données de l'U.S. Geological Survey "
        "(USGS). Les ressources pourraient dépasser 20 millions de tonnes, sous réserve de vérification."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert not [s for s in result.shares if "Geological" in s.actor]
    assert not result.projects


def test_extract_general_a_fund_priced_once_is_one_fund(tmp_path, reference, nlp, boilerplate):
    text = (
        "InfraVia Capital Partners lance un fonds dédié aux métaux critiques, avec un premier closing de 1 milliard "
        "d'euros.\n\nLe fonds investira en France et à l'international."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert {(p.kind, p.amount.value if p.amount else None) for p in projects} == {("Fund", 1000000000)}


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        (
            "Le département américain de la Défense a signé un accord avec Lynas Rare Earths pour construire une "
            "installation de séparation des terres rares lourdes.",
            {"Lynas_Rare_Earths", "United_States_Department_of_Defense"},
        ),
        (
            "DMCI Mining Corp. met Nickel Asia Corp. in May.\n\nThe companies signed a memorandum to explore "
            "developing and operating a nickel processing plant in the Philippines.",
            {"DMCI_Mining", "Nickel_Asia_Corporation"},
        ),
    ],
)
def test_extract_general_an_unnamed_plant_that_companies_build(
    tmp_path, text, participants, reference, nlp, boilerplate
):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [({p.rsplit("/", 1)[-1] for p in x.participants}, x.kind) for x in projects] == [(participants, "Plant")]


def test_extract_general_a_plant_that_no_company_builds_is_none(tmp_path, reference, nlp, boilerplate):
    text = "The government wants to develop a nickel processing plant one day."
    assert not read(tmp_path, text, reference, nlp, boilerplate).projects


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Ganfeng Lithium rachète Lithea pour 962 millions de dollars.", {"Ganfeng_Lithium", "Lithea"}),
        ("Sinomine will buy Bikita Minerals for US$180 million.", {"Sinomine_Resource_Group", "Bikita_Minerals"}),
        ("Glencore acquires a stake in Alunorte.", {"Glencore", "Alunorte"}),
        (
            "Critical Metals Corp signed an agreement to acquire Tanbreez from Rimbal, a company controlled by investors.",
            {"Critical_Metals_Corp", "Rimbal"},
        ),
    ],
)
def test_extract_general_what_a_deal_buys_is_a_company(tmp_path, text, parties, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [parties]


@pytest.mark.parametrize(
    "text",
    [
        "En vertu du protocole d'accord signé lors d'un sommet à Belgrade, auquel participait le chancelier allemand "
        "Olaf Scholz, l'UE et la Serbie conviennent de coopérer.",
        "The European Union and Serbia signed a memorandum of understanding in the presence of the German Chancellor.",
        "The European Union and Serbia signed a memorandum of understanding, approved by Germany.",
        "En présence du Premier ministre du Danemark, l'UE et la Serbie ont signé un protocole d'accord.",
        "In the presence of the Prime Minister of Denmark, the EU and Serbia signed a memorandum of understanding.",
    ],
)
def test_extract_general_who_attends_a_signing_is_no_party(tmp_path, text, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"European_Union", "Serbia"}]


def test_extract_general_evaluation_reads_a_region_by_its_own_name(reference):
    gold = [{"name": "Karagandy region", "type": "Place", "surface": ["Karagandy region"]}]
    resolve = Resolver(reference).with_surfaces(gold)
    assert resolve("Karagandy region", place=True) == resolve("Karagandy", place=True)


def test_extract_general_a_capital_named_as_such_is_the_place(tmp_path, reference, nlp, boilerplate):
    text = "Les manifestants ont marché à 80 miles de la capitale Belgrade pour protester."
    assert ("Belgrade_RS", "Place") in {
        (m.entity.rsplit("/", 1)[-1], reference.entities[m.entity].cls)
        for m in read(tmp_path, text, reference, nlp, boilerplate).mentions
        if m.entity in reference.entities
    }


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("The memorandum was signed in Washington on Monday.", "Washington_US"),
        ("Washington a imposé des droits de douane sur le graphite.", "United_States"),
        ("À Washington, une offensive diplomatique est en cours.", "United_States"),
        ("The deal was announced in Washington, D.C. on Tuesday.", "Washington_US"),
    ],
)
def test_extract_general_washington_is_the_city_where_something_happens(reference, text, entity):
    from graph.extract.mentions import build_gazetteer, find_mentions

    found = [m.entity.rsplit("/", 1)[-1] for m in find_mentions(text, build_gazetteer(reference))]
    assert found[:1] == [entity]


def test_extract_general_one_ban_dated_by_its_year_then_its_day_is_one_measure(tmp_path, reference, nlp, boilerplate):
    text = (
        "In 2026 Zimbabwe banned exports of raw lithium.\n\n"
        "Zimbabwe announced on 25 February 2026 that it banned exports of raw lithium concentrates."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert {(m.kind, m.date.iso if m.date else None) for m in measures} == {("ExportControl", "2026-02-25")}


def test_extract_general_a_law_in_apposition_and_the_bill_are_one_law(tmp_path, reference, nlp, boilerplate):
    text = (
        "The Senate Chief introduced a provision to Senate Bill No. 2826, the Enhanced Fiscal Regime for Large-Scale "
        "Metallic Mining bill, which would make a new regime for the Philippines.\n\n"
        "The bill secured third reading approval on Feb. 3."
    )
    laws = [m for m in read(tmp_path, text, reference, nlp, boilerplate).measures if m.kind == "Law"]
    assert {m.name for m in laws} == {"Senate Bill"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "RIYAD : La société minière saoudienne Manara Minerals a marqué sa présence en acquérant 10 % de la "
            "société brésilienne Vale Base Metals Ltd.",
            [("acquisition", {"Manara_Minerals", "Vale_Base_Metals"})],
        ),
        (
            "Glencore acquired 15% of Amaroq Minerals last year.",
            [("acquisition", {"Glencore", "Amaroq_Minerals"})],
        ),
        ("China holds 70% of the world's refining capacity.", []),
        (
            "Outre Keliber, Sibanye s'est associé à Ioneer Ltd pour développer le projet de lithium Rhyolite Ridge.",
            [("joint_venture", {"Sibanye_Stillwater", "Ioneer"})],
        ),
    ],
)
def test_extract_general_stakes_bought_and_companies_associated(tmp_path, text, expected, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == expected


def test_extract_general_a_dateline_city_is_a_place_and_no_party(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    gazetteer = build_gazetteer(reference)
    found = [m.entity.rsplit("/", 1)[-1] for m in find_mentions("RIYAD : La société a signé.", gazetteer)]
    assert found and found[0] != "Saudi_Arabia"


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "German carmaker Mercedes-Benz has agreed with the Canadian government to secure lithium and nickel.",
            {"Mercedes_Benz_Group", "Canada"},
        ),
        (
            "Lors du sommet entre la Corée du Sud et le Vietnam, les deux pays ont convenu de combiner leurs "
            "ressources en terres rares.",
            {"South_Korea", "Vietnam"},
        ),
    ],
)
def test_extract_general_agreements_told_with_a_verb(tmp_path, text, parties, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [parties]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Australia produces almost half of the world’s lithium.", {("Australia", "Lithium", "production", 50)}),
        ("China produced 18.59 million tons of aluminium, a rise of 4.0% from last year.", set()),
        ("Lynas will supply up to 65% of the dysprosium produced from Mt. Weld feedstock.", set()),
    ],
)
def test_extract_general_shares_told_with_a_verb_and_changes_that_are_none(
    tmp_path, text, expected, reference, nlp, boilerplate
):
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert {
        (s.actor.rsplit("/", 1)[-1], s.mineral.rsplit("/", 1)[-1], s.stage, int(s.percent)) for s in shares
    } == expected


def test_extract_general_a_company_associated_with_another(tmp_path, reference, nlp, boilerplate):
    text = (
        "En 2020, la JOGMEC s’était déjà associée à la compagnie minière canadienne Namibia Critical Metals pour "
        "développer le gisement de Lofdal."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Japan_Organization_for_Metals_and_Energy_Security", "Namibia_Critical_Metals"}]


def test_extract_general_a_credited_source_does_not_impose_for_its_state(tmp_path, reference, nlp, boilerplate):
    text = (
        "Vietnam has large deposits of rare earths, according to the US Geological Survey.\n\n"
        "The existing law indirectly restricts the export of refined rare earths."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert "United_States" not in {m.imposer.rsplit("/", 1)[-1] for m in measures}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Codelco, qui produit entre 8 et 10% du cuivre mondial.", [("9", "entre 8 et 10%")]),
        ("between 8% and 10% of", [("9", "between 8% and 10%")]),
        ("8-10% of output", [("9", "8-10%")]),
        ("exports rose from 5% to 7% of output", [("5", None), ("7", None)]),
        ("70% and 63% of niobium", [("70", None), ("63", None)]),
    ],
)
def test_extract_general_a_range_of_percentages_is_its_middle(reference, text, expected):
    from graph.extract.values import find_percents

    assert [(str(p.value), p.qualifier) for p in find_percents(text, reference.lexicon)] == expected


def test_extract_general_a_stage_outside_the_brackets_is_not_the_shares(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Chine a restreint l’exportation d’aimants, ce qui a fait tripler le prix du dysprosium (dont la Chine "
        "fournit 99,8 %)."
    )
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert [(s.mineral.rsplit("/", 1)[-1], s.stage) for s in shares] == [("Dysprosium", "production")]


def test_extract_general_the_pact_is_the_last_agreement_unless_a_new_deal_is_told(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Lynas Rare Earths signed an agreement with Sojitz Corp on rare earths.\n\n"
        "The pact will support supplies to Japan, a JOGMEC spokesperson said.\n\n"
        "After the deal, Sojitz will own a 3% stake in Iluka Resources."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    parties = party_sets(agreements)
    assert parties[:2] == [{"Lynas_Rare_Earths", "Sojitz_Corporation"}] * 2
    assert {"Sojitz_Corporation", "Iluka_Resources"} in parties


def test_extract_general_the_owners_of_a_party_are_none(tmp_path, reference, nlp, boilerplate):
    text = (
        "Lynas Rare Earths signed an agreement with Japan Australia Rare Earths, jointly owned by state-owned Japan "
        "Organization for Metals and Energy Security (JOGMEC) and Sojitz Corp, on rare earths."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Lynas_Rare_Earths", "Japan_Australia_Rare_Earths"}]


def test_extract_general_a_tariff_announced_then_started_weeks_later_is_one(tmp_path, reference, nlp, boilerplate):
    text = (
        "Le 8 juillet 2025, les États-Unis ont annoncé une surtaxe de 50 % sur le cuivre.\n\n"
        "La surtaxe américaine sur le cuivre pourrait être imposée le 1er août 2025."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert len({(m.kind, m.imposer, m.date.iso if m.date else None) for m in measures}) == 1


def test_extract_general_controls_of_two_years_stay_two(tmp_path, reference, nlp, boilerplate):
    text = (
        "En juillet 2023, la Chine a restreint les exportations de gallium.\n\n"
        "En décembre 2024, la Chine a interdit les exportations de gallium vers les États-Unis."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert len({m.date.iso for m in measures if m.date}) == 2


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nina warned that the Chinese company Hong Kong CBC has three years to deliver.", "Hong Kong CBC"),
        ("La société privée Lithea possède des droits sur deux lacs salés.", "Lithea"),
        ("Le groupe minier marocain Atlas Cobalt Holding a publié ses comptes.", "Atlas Cobalt Holding"),
    ],
)
def test_extract_general_company_named_after_what_it_is(tmp_path, text, name, reference, nlp, boilerplate):
    assert (name, "Company") in names(read(tmp_path, text, reference, nlp, boilerplate))


@pytest.mark.parametrize(
    "text",
    [
        "Chinese Firms Control 75% Of Indonesia's Nickel Refining",  # a title-case headline
        "The company founder Jane Doe spoke on Monday.",
    ],
)
def test_extract_general_no_company_from_a_headline_or_a_person_after_a_cue(
    tmp_path, text, reference, nlp, boilerplate
):
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"]


def test_extract_general_short_name_is_the_company_named_in_full(tmp_path, reference, nlp, boilerplate):
    text = (
        "Amaroq Minerals said on Monday it had raised new funds.\n\n"
        "The Danish fund invested in Amaroq last year, Amaroq said."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    companies = {n for n, cls in names(result) if cls == "Company"}
    assert "Amaroq Minerals" in companies
    assert "Amaroq" not in companies


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Argentina and the United States signed an MoU on lithium on Thursday.", "mou"),
        (
            "Les États-Unis ont signé des cadres bilatéraux sur les minéraux critiques avec le Maroc et le Pérou.",
            "framework",
        ),
        ("L'Allemagne et le Canada ont signé une déclaration d'intention sur les terres rares.", "mou"),
    ],
)
def test_extract_general_more_agreement_words(tmp_path, text, kind, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert agreements and {a.kind for a in agreements} == {kind}


def test_extract_general_ambiguous_company_confirmed_by_a_mineral_and_written_as_a_name(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Anglo American has announced the sale of its nickel business in Brazil to MMG Singapore Resources Pte.\n\n"
        "Indonesia's total nickel refining capacity stands at 8 million tons."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    named = {m.entity.rsplit("/", 1)[-1] for m in result.mentions}
    assert "Anglo_American" in named
    assert "TotalEnergies" not in named  # *total* in lower case is a word
    assert ("MMG Singapore Resources", "Company") in names(result)
    assert {"acquisition"} == {a.kind for a in result.agreements}
    assert party_sets(result.agreements)[0] >= {"Anglo_American"}


def test_extract_general_buying_a_mineral_is_an_offtake(tmp_path, reference, nlp, boilerplate):
    text = "General Motors agreed that it would buy lithium from Lithium Americas for twenty years."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert [a.kind for a in agreements] == ["offtake"]


def test_extract_general_the_agreement_between_names_its_own_parties(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Bolivie a signé un accord avec la Chine sur le lithium.\n\n"
        "Le président réexaminera les termes de l'accord entre la corporation d'État Yacimientos de Litio "
        "Bolivianos (YLB) et la russe Uranium One Group."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Yacimientos_de_Litio_Bolivianos", "Uranium_One_Group"} in party_sets(agreements)


@pytest.mark.parametrize(
    ("text", "share"),
    [
        (
            "La Chine occupe une position dominante, fournissant près de 50 % des importations européennes de "
            "terres rares.",
            ("China", "imports", 50, "European_Union"),
        ),
        ("La Chine, qui contrôle plus de 70 % du commerce des terres rares, a réagi.", ("China", "market", 70, None)),
        ("Talco Gold, qui pèse 10 % du marché mondial de l'antimoine, a parlé.", ("Talco_Gold", "market", 10, None)),
    ],
)
def test_extract_general_shares_of_trade_and_of_a_consumers_imports(tmp_path, text, share, reference, nlp, boilerplate):
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    found = [
        (s.actor.rsplit("/", 1)[-1], s.stage, int(s.percent), s.consumer and s.consumer.rsplit("/", 1)[-1])
        for s in shares
    ]
    assert found == [share]


def test_extract_general_a_stage_inside_a_name_is_no_stage(tmp_path, reference, nlp, boilerplate):
    text = "According to S&P Global Market Intelligence, Argentina produced lithium, about 5% of global production."
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert [s.stage for s in shares] == ["production"]


def test_extract_general_a_name_found_once_is_a_mention_wherever_the_document_repeats_it(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "La production est assurée par COBCO, société de droit marocain.\n\n"
        "Le Maroc a signé un accord avec COBCO sur le cobalt."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert {"Morocco", "COBCO"} in party_sets(result.agreements)


@pytest.mark.parametrize(
    ("text", "stockpiles"),
    [
        ("Malaysia's reserve of rare earth minerals of 30,000 tons is only a fraction of China's.", 0),
        ("La Turquie a découvert la deuxième plus grande réserve d'éléments de terres rares au monde.", 0),
        ("Les États-Unis prévoient la création d'une réserve de terres rares de 11 milliards d'euros.", 1),
    ],
)
def test_extract_general_a_reserve_in_the_ground_is_no_stockpile(
    tmp_path, text, stockpiles, reference, nlp, boilerplate
):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert len([p for p in projects if p.kind == "Stockpile"]) == stockpiles


def test_extract_general_project_names_that_are_no_persons_and_names_opening_with_the_project_word(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Rare Earths Norway reports that the resources in the Fen Complex are much larger.\n\n"
        "Washington a lancé le « Projet Vault » : une réserve stratégique de minerais critiques."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert not [n for n, cls in names(result) if cls == "Person"]
    assert {"Fen", "Projet Vault"} <= {p.name for p in result.projects}


@pytest.mark.parametrize(
    ("text", "name", "cls"),
    [
        (
            "De très nombreux gisements se trouvent ici, dit Mourod Djoumazoda, directeur-adjoint de Talco Gold.",
            "Mourod Djoumazoda",
            "Person",
        ),
        ("The mine will open in May, said Jane Tembo, the company's chief executive.", "Jane Tembo", "Person"),
        (
            "A delegation signed a memorandum with Pakistan’s Frontier Works Organization (FWO) at noon.",
            "Frontier Works Organization (Pakistan)",
            "GovernmentBody",
        ),
        ("The deal gives Zenith Kivu Mines a larger share of the copper.", "Zenith Kivu Mines", "Company"),
    ],
)
def test_extract_general_persons_before_their_role_and_more_head_words(
    tmp_path, text, name, cls, reference, nlp, boilerplate
):
    assert (name, cls) in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_title_case_headline_names_no_organisation(tmp_path, reference, nlp, boilerplate):
    text = "US, Pakistan Announce Key Pact On Critical Minerals\n\nThe pact was signed on Monday."
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"]


def test_extract_general_a_capital_listed_after_a_place_in_a_locative_is_a_place(tmp_path, reference, nlp, boilerplate):
    text = "MMG has dual headquarters in Melbourne and Beijing and is listed in Hong Kong."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    named = {m.entity.rsplit("/", 1)[-1] for m in result.mentions}
    assert "Beijing_CN" in named and "China" not in named


@pytest.mark.parametrize(
    "text",
    [
        "Sibanye-Stillwater a pris le contrôle de Keliber en portant sa participation à 85 %.",
        "Last year Sibanye-Stillwater took control of Keliber, the Finnish lithium company.",
    ],
)
def test_extract_general_taking_control_is_an_acquisition(tmp_path, text, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert ("acquisition", {"Sibanye_Stillwater", "Keliber"}) in [
        (a.kind, p) for a, p in zip(agreements, party_sets(agreements))
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Washington wants minimum prices for rare earths, the United States said.", "PriceFloor"),
        ("La République démocratique du Congo impose des quotas à l'exportation de cobalt.", "ExportControl"),
        ("Indonesia imposed export permits on nickel ore in 2024.", "ExportControl"),
        ("Le Japon répond aux nouveaux tarifs imposés par les États-Unis sur l'acier.", "Tariff"),
        ("The Philippines is considering taxing nickel ore exports.", "Tariff"),
    ],
)
def test_extract_general_more_measure_words(tmp_path, text, kind, reference, nlp, boilerplate):
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert kind in {m.kind for m in measures}


def test_extract_general_a_town_no_list_holds_is_a_place_after_a_locative(tmp_path, reference, nlp, boilerplate):
    text = "The refinery will be built near Kokkola.\n\nVulcan has a plant in Kaiserslautern and a stake in Kiruna."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert {("Kokkola", "Place"), ("Kaiserslautern", "Place")} <= found
    assert ("Kiruna", "Place") not in found  # after a stake's word a company is named


def test_extract_general_project_words_and_names_without_descriptions(tmp_path, reference, nlp, boilerplate):
    text = (
        "Lithium Americas drew a loan for the Nevada-based Thacker Pass mine.\n\n"
        "Keliber obtained the permits for the Rapasaari mine and the Päiväneva concentrator.\n\n"
        "Lenders will raise €250m of debt to fully fund construction of the Keliber plant."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert {"Thacker Pass", "Päiväneva"} <= {p.name for p in projects}
    assert not [p for p in projects if p.kind == "Fund"]


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Rare Earths Norway reports that the resources are larger.", "Rare Earths Norway"),
        ("The deal with Lithium Australia was signed on Monday.", "Lithium Australia"),
        ("Lithium Chile exports rose.", None),  # the sentence's own capital: no company
        ("Prices of lithium in Australia rose.", None),
        ("Les coûts de la mine Falchani d'American Lithium au Pérou ont augmenté.", "American Lithium"),
        ("Manara is in talks for a stake in the Zambian Copper mine of First Quantum.", None),
    ],
)
def test_extract_general_companies_named_by_a_mineral_and_a_place(tmp_path, text, company, reference, nlp, boilerplate):
    companies = {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"}
    assert companies == ({company} if company else set())


def test_extract_general_l_or_is_gold_and_a_summit_city_is_the_venue(tmp_path, reference, nlp, boilerplate):
    text = (
        "Des mineurs prospectent pour trouver de l'or au Tadjikistan.\n\n"
        "Après le sommet de Washington, la RDC et le Rwanda ont signé un accord sur le cuivre."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    named = {m.entity.rsplit("/", 1)[-1] for m in result.mentions}
    assert {"Gold", "Washington_US"} <= named
    assert party_sets(result.agreements) == [{"Democratic_Republic_of_the_Congo", "Rwanda"}]


def test_extract_general_a_name_the_document_gives_a_project_is_not_repeated(reference):
    from graph.extract import repeated_names
    from graph.extract.mentions import Mention
    from graph.extract.relations import Sentence

    iri = ID + "Somair"
    first = Sentence("d", 0, 0, "Somair publie ses comptes.", [Mention(iri, 0, 6, "Somair", "ner", 0.5, "ner")])
    second = Sentence("d", 1, 27, "Le Niger revendique Somair.", [])
    assert repeated_names([first, second], {iri: ("Somair", "Company")}, reference)[1].mentions
    third = Sentence("d", 2, 55, "La mine de Somair est fermée.", [])
    resolved = repeated_names([first, second, third], {iri: ("Somair", "Company")}, reference)
    assert not resolved[1].mentions and not resolved[2].mentions


def test_extract_general_an_agreement_told_again_with_one_party_is_the_fuller_one(reference):
    from graph.extract.facts import AgreementFact, Evidence
    from graph.extract.relations import same_agreements

    first, second, third = (Evidence("d", i, i + 1, "pattern:agreement", 0.8) for i in range(3))
    wide = AgreementFact(("EU", "TR", "US"), ("REE",), "partnership", "signed", None, first)
    alone = AgreementFact(("EU",), (), "partnership", None, None, second)
    bilateral = AgreementFact(("TR", "US"), (), "partnership", None, None, third)
    joined = same_agreements([wide, alone, bilateral])
    assert [a.parties for a in joined] == [("EU", "TR", "US"), ("EU", "TR", "US"), ("TR", "US")]
    assert joined[1].evidence == second and joined[1].minerals == ("REE",)


def test_extract_general_a_place_no_list_holds_where_a_project_is(tmp_path, reference, nlp, boilerplate):
    text = "Savannah wants to exploit the lithium mine in Boticas in northern Portugal.\n\nThe mine in June reopened."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Boticas", "Place") in found
    assert not [n for n, cls in found if cls == "Place" and n != "Boticas"]


def test_extract_general_princely_titles_are_no_part_of_a_name(tmp_path, reference, nlp, boilerplate):
    text = "The framework was signed by Saudi Crown Prince Mohammed bin Salman in Washington."
    assert ("Mohammed bin Salman", "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_cities_of_a_dateline_joined_by_slashes_are_places(reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    text = "KUALA LUMPUR/BEIJING, Oct 2 (Reuters): China and Malaysia are in early talks."
    found = [m.entity.rsplit("/", 1)[-1] for m in find_mentions(text, build_gazetteer(reference))]
    assert found[:2] == ["Kuala_Lumpur_MY", "Beijing_CN"] and "China" in found


def test_extract_general_project_names_after_a_possessive_and_inside_longer_names(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Olaroz is about 110km from Rio's Rincon brine operation.\n\n"
        "Arcadium decided to mothball the Mt Cattlin hard rock lithium mine.\n\n"
        "Kinshasa designated assets classified as a “Strategic Asset Reserve” (SAR)."
    )
    found = {p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects}
    assert {"Rincon", "Mt Cattlin"} <= found
    assert "Strategic" not in found


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("China still accounts for roughly 77% of global mine production of graphite.", ("China", "extraction", 77)),
        (
            "The DRC accounts for more than 70% of global supply of cobalt.",
            ("Democratic_Republic_of_the_Congo", "production", 70),
        ),
    ],
)
def test_extract_general_shares_of_mine_production_and_global_supply(
    tmp_path, text, share, reference, nlp, boilerplate
):
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert [(s.actor.rsplit("/", 1)[-1], s.stage, int(s.percent)) for s in shares] == [share]


def test_extract_general_a_company_named_before_its_own_company_word_is_a_party(tmp_path, reference, nlp, boilerplate):
    text = "Savannah Resources announced a partnership agreement with the AMG Critical Materials group."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Savannah_Resources", "AMG_Critical_Materials"}]


def test_extract_general_a_sovereign_wealth_fund_is_an_investor_not_a_project(tmp_path, reference, nlp, boilerplate):
    text = (
        "China and Malaysia are in talks, with sovereign wealth fund Khazanah Nasional likely to partner with "
        "a Chinese firm to build a refinery."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ("Khazanah Nasional", "Company") in names(result)
    assert not [p for p in result.projects if p.kind == "Fund"]
    assert result.agreements and {"Khazanah Nasional"} <= {
        p.rsplit("/", 1)[-1].replace("_", " ") for a in result.agreements for p in a.parties
    }


def test_extract_general_a_body_s_stockpile_is_its_state_s_stockpiling(tmp_path, reference, nlp, boilerplate):
    text = "The U.S. Defense Department is seeking to purchase cobalt for its strategic stockpiles."
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert ("Stockpiling", "United_States") in {(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures}


def test_extract_general_companies_listed_after_a_plural_cue(tmp_path, reference, nlp, boilerplate):
    text = "The AMG group includes the companies AMG Lithium, AMG Vanadium and AMG Technologies."
    companies = {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"}
    assert {"AMG Lithium", "AMG Vanadium", "AMG Technologies"} <= companies


@pytest.mark.parametrize(
    "text",
    ["AMG is an international critical materials company.", "Kiev propose un accord sur les matériaux critiques."],
)
def test_extract_general_critical_materials_are_critical_minerals(tmp_path, text, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert "Critical_minerals" in {m.entity.rsplit("/", 1)[-1] for m in result.mentions}


def test_extract_general_an_ocean_is_a_place_not_the_state_of_its_demonym(tmp_path, reference, nlp, boilerplate):
    text = "The graphite comes from the Indian Ocean island of Madagascar."
    named = {m.entity.rsplit("/", 1)[-1] for m in read(tmp_path, text, reference, nlp, boilerplate).mentions}
    assert "Indian_Ocean" in named and "India" not in named


def test_extract_general_banks_that_finance_deals_are_companies(tmp_path, reference, nlp, boilerplate):
    text = "Rio Tinto's deal was advised by Morgan Stanley and financed by BNP Paribas."
    named = {m.entity.rsplit("/", 1)[-1] for m in read(tmp_path, text, reference, nlp, boilerplate).mentions}
    assert {"Morgan_Stanley", "BNP_Paribas"} <= named
    assert not [n for n in named if n.startswith("Stanley")]


def test_extract_general_a_region_named_after_what_it_is(tmp_path, reference, nlp, boilerplate):
    text = "Lynas has a processing plant in the central state of Pahang, said two sources."
    assert ("Pahang", "Place") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_name_after_a_role_keeps_its_particles(tmp_path, reference, nlp, boilerplate):
    text = "The deal was signed by Energy Minister Prince Abdulaziz bin Salman in Riyadh."
    assert ("Abdulaziz bin Salman", "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_body_joined_to_a_company_by_and_is_named_without_the_joining_words(
    tmp_path, reference, nlp, boilerplate
):
    text = "A memorandum of understanding was signed between Rosatom and the Ministry of Energy in Niger."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert not [n for n, cls in found if n.lower().startswith(("the ", "and ", "for "))]
    assert [n for n, cls in found if cls == "GovernmentBody" and n.startswith("Ministry of Energy")]


def test_extract_general_memorandums_with_a_list_of_partners_and_no_lead_give_no_pairs_of_partners(
    tmp_path, reference, nlp, boilerplate
):
    text = "The Kingdom signed three memorandums of understanding with Chile, Canada and Brazil."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Chile", "Canada"} not in party_sets(agreements)
    text = "Saudi Arabia signed three memorandums of understanding with Chile, Canada and Brazil."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert sorted(map(sorted, party_sets(agreements))) == [
        ["Brazil", "Saudi_Arabia"],
        ["Canada", "Saudi_Arabia"],
        ["Chile", "Saudi_Arabia"],
    ]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Rare earths ore goes to Lynas Rare Earths, which has a processing plant in the state of Pahang.", "Lynas"),
        ("The US produces lithium at a single Nevada facility owned by Albemarle.", "Albemarle"),
        ("ERG will deliver cobalt hydroxide to Electra Battery Materials' refinery in Ontario.", "Electra"),
        ("Le concentré part vers une usine exploitée par Eramet à Sandouville.", "Eramet"),
    ],
)
def test_extract_general_a_plant_a_company_owns_is_a_project(tmp_path, text, owner, reference, nlp, boilerplate):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [p.name for p in projects] == [None]
    assert [q for q in projects[0].participants if owner in q]


@pytest.mark.parametrize(
    "text",
    [
        "China has a processing plant for every mineral.",
        "The miner drew $50 million from its credit facility owned by a bank.",
    ],
)
def test_extract_general_a_plant_owned_by_no_company_is_none(tmp_path, text, reference, nlp, boilerplate):
    assert not read(tmp_path, text, reference, nlp, boilerplate).projects


def test_extract_general_a_sentence_cut_inside_brackets_is_joined(tmp_path, reference, nlp, boilerplate):
    text = (
        "Electra Battery Materials (NASDAQ: ELBM; TSXV: ELBM) has secured a supply of cobalt with the signing of "
        "a binding agreement with Eurasian Resources Group."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert [{"Electra_Battery_Materials", "Eurasian_Resources_Group"}] == party_sets(agreements)


def test_extract_general_a_capitalised_word_before_a_nationality_and_a_mineral_is_the_company_s(
    tmp_path, reference, nlp, boilerplate
):
    text = "Pan American Silver Corp will sell a 56 per cent stake in a copper project to Glencore."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Pan American Silver", "Company") in found
    assert ("American Silver", "Company") not in found


def test_extract_general_a_company_s_head_word_after_a_nationality_and_a_mineral_is_the_company_s(
    tmp_path, reference, nlp, boilerplate
):
    text = "The joint venture between the Tajik Aluminium Company (Talco) and China's Tibet Huayu Mining produces gold."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert ("Tajik Aluminium Company", "Company") in names(result)
    assert party_sets(result.agreements) == [{"Tajik_Aluminium_Company", "Tibet_Huayu_Mining"}]


@pytest.mark.parametrize(
    ("text", "kind", "parties"),
    [
        # joining a group is a partnership
        (
            "Le jeudi 28 novembre, Blencowe Resources a rejoint le consortium européen SAFELOOP.",
            "partnership",
            {"Blencowe_Resources", "SAFELOOP"},
        ),
        (
            "Ecuador joined the Minerals Security Partnership in 2024.",
            "partnership",
            {"Ecuador", "Minerals_Security_Partnership"},
        ),
        # a stake sold to a company is an acquisition
        (
            "Vale agreed to sell a 10% stake in its base metals unit to Manara Minerals.",
            "acquisition",
            {"Vale_S_A", "Manara_Minerals"},
        ),
        ("Eramet a cédé 49 % de sa filiale à Tsingshan.", "acquisition", {"Eramet", "Tsingshan_Holding_Group"}),
    ],
)
def test_extract_general_joining_a_group_and_selling_a_stake(
    tmp_path, text, kind, parties, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == [(kind, parties)]


def test_extract_general_a_person_joining_a_company_is_no_partnership(tmp_path, reference, nlp, boilerplate):
    text = "Jack Lundin joined Glencore in 2010 before he moved to Lundin Mining."
    assert not read(tmp_path, text, reference, nlp, boilerplate).agreements


def test_extract_general_a_measure_s_imposer_is_not_what_it_answers(tmp_path, reference, nlp, boilerplate):
    text = (
        "China, which produces around 90% of the world's rare earth magnets, in April put restrictions on their "
        "export as part of its response to U.S. tariffs."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [m.imposer.rsplit("/", 1)[-1] for m in measures if m.kind == "ExportControl"] == ["China"]


def test_extract_general_the_party_named_with_the_last_agreements_partners_leads(tmp_path, reference, nlp, boilerplate):
    text = (
        "Les pays qui ont conclu ce partenariat avec l'Arabie Saoudite sont la RDC, le Maroc et l'Egypte. Ces "
        "protocoles d'accord constituent le fondement de la coopération minière entre Riyad et ses trois partenaires."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    pairs = [parties for parties in party_sets(agreements) if len(parties) == 2]
    assert pairs and all("Saudi_Arabia" in parties for parties in pairs)


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "En décembre, le département de la Défense a octroyé 22,1 millions $ à la compagnie Fireweed Metals "
            "pour accélérer le développement de la mine.",
            {"United_States_Department_of_Defense", "Fireweed_Metals"},
        ),
        (
            "In 2023 the Pentagon awarded Albemarle $90 million to expand a lithium mine.",
            {"Albemarle", "Department_of_Defense"},
        ),
    ],
)
def test_extract_general_money_granted_to_an_actor_is_an_investment(
    tmp_path, text, parties, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert [a.kind for a in agreements] == ["investment"]
    assert all(any(p in party for party in agreements[0].parties) for p in parties)


def test_extract_general_a_grant_needs_an_amount(tmp_path, reference, nlp, boilerplate):
    text = "The Pentagon awarded its prize to Albemarle after a long tender."
    assert not read(tmp_path, text, reference, nlp, boilerplate).agreements


def test_extract_general_listed_percentages_share_the_first_one_s_stage(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Chine concentre par exemple 100 % des activités de transformation du graphite, plus de 80 % de celles "
        "des terres rares, 75 % de celles de cobalt ou encore plus de 60 % de celles du lithium."
    )
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert {(s.mineral.rsplit("/", 1)[-1], s.stage, float(s.percent)) for s in shares} == {
        ("Graphite", "processing", 100.0),
        ("Rare_earth_elements", "processing", 80.0),
        ("Cobalt", "processing", 75.0),
        ("Lithium", "processing", 60.0),
    }


def test_extract_general_listed_parties_of_bilateral_deals_each_deal_with_the_last_partner(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "L'UE a signé un accord avec le Kazakhstan sur les terres rares. Outre l'UE, la France, l'Allemagne et le "
        "Royaume-Uni ont également conclu des accords bilatéraux sur les minerais critiques l'année dernière."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    pairs = [sorted(parties) for parties in party_sets(agreements)]
    assert ["France", "Kazakhstan"] in pairs and ["Germany", "Kazakhstan"] in pairs
    assert ["France", "Germany"] not in pairs


def test_extract_general_agreed_on_a_day_to_do_is_an_agreement(tmp_path, reference, nlp, boilerplate):
    text = (
        "The top diplomats of Japan, the United States, Australia and India agreed Tuesday to launch an initiative "
        "on critical minerals."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Japan", "United_States", "Australia", "India"}]


@pytest.mark.parametrize(
    "text",
    [
        "Canada, Chile and Peru aim to fend off potential tariffs on the metal needed for electric vehicles.",
        "Imposing tariffs on Canadian copper would be counterproductive, wrote the head of Canada's Mining Association.",
    ],
)
def test_extract_general_who_bears_a_tariff_does_not_impose_it(tmp_path, text, reference, nlp, boilerplate):
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert not [m for m in measures if m.imposer.rsplit("/", 1)[-1] in ("Canada", "Chile", "Peru")]


def test_extract_general_a_state_after_a_direction_is_where_a_project_is(tmp_path, reference, nlp, boilerplate):
    text = (
        "Lifezone Metals will acquire BHP's 17% equity interest in the majority owner of the Kabanga Nickel "
        "Project in northwestern Tanzania."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert party_sets(result.agreements) == [{"BHP", "Lifezone_Metals"}]
    assert [p.location.rsplit("/", 1)[-1] for p in result.projects] == ["Tanzania"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Antimony is refined at a plant in the north, in Sughd province.", "Sughd"),
        ("Lithium is mined in Kogi and Nasarawa state by small miners.", "Nasarawa"),
        ("DMCI Mining operates two mines in Santa Cruz, Zambales, and is developing new sites.", "Zambales"),
    ],
)
def test_extract_general_subdivisions_no_list_holds_are_places(tmp_path, text, place, reference, nlp, boilerplate):
    assert (place, "Place") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_evaluation_names_a_region_without_its_word(reference):
    resolve = Resolver(reference).with_surfaces(
        [{"name": "Sughd province", "type": "Place", "surface": ["Sughd province"]}]
    )
    assert resolve("Sughd", place=True) == resolve("Sughd province", place=True)


def test_extract_general_a_sentence_cut_after_an_abbreviation_goes_on(tmp_path, reference, nlp, boilerplate):
    text = (
        "Industry leaders DMCI Mining Corp. and Nickel Asia Corp. (NAC) plan to jointly develop a nickel processing "
        "plant to enhance the country's nickel production."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [{p.rsplit("/", 1)[-1] for p in x.participants} for x in projects] == [
        {"DMCI_Mining", "Nickel_Asia_Corporation"}
    ]


def test_extract_general_a_company_acquired_in_the_past_tense(tmp_path, reference, nlp, boilerplate):
    text = "En 2021, Ganfeng a acquis Bacanora Lithium, qui était en plein développement minier."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == [("acquisition", {"Ganfeng_Lithium", "Bacanora_Lithium"})]


def test_extract_general_this_agreement_comes_after_another_with_its_own_parties(tmp_path, reference, nlp, boilerplate):
    text = (
        "Mercedes-Benz a signé un accord avec Rock Tech Lithium pour du lithium. Cet accord intervient après la "
        "signature en août de protocoles d'entente entre le Canada et deux géants automobiles allemands, Volkswagen "
        "et Mercedes-Benz."
    )
    pairs = [sorted(parties) for parties in party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements)]
    assert ["Canada", "Volkswagen_Group"] in pairs and ["Canada", "Mercedes_Benz_Group"] in pairs


def test_extract_general_a_rival_s_domination_names_no_party(tmp_path, reference, nlp, boilerplate):
    text = (
        "Le Japon a signé un accord avec la Namibie pour explorer les terres rares, dans une stratégie visant à "
        "briser la domination chinoise sur ces minerais."
    )
    assert party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements) == [{"Japan", "Namibia"}]


def test_extract_general_a_share_produced_in_a_state(tmp_path, reference, nlp, boilerplate):
    text = "Environ 97% des anodes en graphite, utilisées pour les batteries électriques, sont produites en Chine."
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert [(s.actor.rsplit("/", 1)[-1], s.mineral.rsplit("/", 1)[-1], float(s.percent)) for s in shares] == [
        ("China", "Graphite", 97.0)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "La fusion accroîtra la production des mines telles que Collahuasi et Quebrada Blanca au Chili.",
        "The merger will lift output at mines such as Collahuasi and Quebrada Blanca in Chile.",
    ],
)
def test_extract_general_projects_given_as_examples(tmp_path, text, reference, nlp, boilerplate):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert sorted(p.name for p in projects) == ["Collahuasi", "Quebrada Blanca"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Niamey et Orano ont repoussé l'exploitation d'Imouraren, l'un des plus grands gisements d'uranium.",
            "Imouraren",
        ),
        ("Ivanhoe restarted Kipushi, a zinc mine that had been idle for 31 years.", "Kipushi"),
    ],
)
def test_extract_general_a_project_named_in_apposition_before_its_kind(
    tmp_path, text, name, reference, nlp, boilerplate
):
    assert [p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects] == [name]


def test_extract_general_brussels_is_the_city_where_and_the_union_as_an_actor(tmp_path, reference, nlp, boilerplate):
    text = "L'UE et l'Ouzbékistan ont signé un accord à Bruxelles. Bruxelles veut concurrencer Pékin."
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [m.entity.rsplit("/", 1)[-1] for m in result.mentions if m.evidence.start > 50][:1] == ["European_Union"]
    assert "https://w3id.org/cmkg/id/Brussels" in {m.entity for m in result.mentions}


def test_extract_general_a_company_s_first_word_alone_names_it(tmp_path, reference, nlp, boilerplate):
    text = (
        "MP Materials will build a refinery in Saudi Arabia. Shares of MP rose after it agreed to a Pentagon "
        "investment. General Motors buys lithium; General rules apply."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    mp = [m for m in result.mentions if m.entity.endswith("/MP_Materials")]
    assert len(mp) == 2
    assert len([m for m in result.mentions if m.entity.endswith("/General_Motors")]) == 1


def test_extract_general_a_framework_of_rules_is_no_agreement(tmp_path, reference, nlp, boilerplate):
    text = "BHP says the nickel outlook and its capital allocation framework have made investments hard in Tanzania."
    assert not read(tmp_path, text, reference, nlp, boilerplate).agreements


@pytest.mark.parametrize(
    "text",
    [
        "Rio Tinto veut développer la plus grande mine de lithium d'Europe.",
        "Keliber is Europe's largest source of lithium.",
        "Pilbara wants to sell lithium to markets such as Europe and North America.",
    ],
)
def test_extract_general_europe_where_things_are_is_the_continent(tmp_path, text, reference, nlp, boilerplate):
    found = {m.entity.rsplit("/", 1)[-1] for m in read(tmp_path, text, reference, nlp, boilerplate).mentions}
    assert "Europe" in found and "European_Union" not in found


def test_extract_general_europe_acting_is_the_union(tmp_path, reference, nlp, boilerplate):
    text = "L'Europe propose aux États-Unis une alliance sur les minerais critiques."
    found = {m.entity.rsplit("/", 1)[-1] for m in read(tmp_path, text, reference, nlp, boilerplate).mentions}
    assert "European_Union" in found and "Europe" not in found


def test_extract_general_a_similar_measure_is_the_last_one_s_kind(tmp_path, reference, nlp, boilerplate):
    text = (
        "Le 27 juillet, le Ghana a décidé d'interdire l'exportation de lithium non transformé. En décembre 2022, "
        "le Zimbabwe a pris une mesure similaire concernant l'exportation de lithium non traité."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert sorted((m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures) == [
        ("ExportControl", "Ghana"),
        ("ExportControl", "Zimbabwe"),
    ]


@pytest.mark.parametrize(
    ("text", "imposer"),
    [
        ("India is working on a new programme to incentivise local magnet production from rare earths.", "India"),
        (
            "Glencore veut qualifier ses projets en Argentine pour le programme d'incitation à l'investissement du gouvernement argentin.",
            "Argentina",
        ),
    ],
)
def test_extract_general_an_incentive_programme_is_a_law(tmp_path, text, imposer, reference, nlp, boilerplate):
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures] == [("Law", imposer)]


def test_extract_general_holders_with_their_percentages_in_brackets(tmp_path, reference, nlp, boilerplate):
    text = (
        "Actuellement, l'Australie (46%) et le Chili (24%) occupent près de 70% de la production mondiale de lithium."
    )
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert sorted((s.actor.rsplit("/", 1)[-1], float(s.percent), s.stage) for s in shares) == [
        ("Australia", 46.0, "production"),
        ("Chile", 24.0, "production"),
    ]


def test_extract_general_a_name_before_bin_is_the_person_s_own():
    assert person_name(["Minister", "Bandar", "bin", "Ibrahim", "Alkhorayef"]) == "Bandar bin Ibrahim Alkhorayef"


def test_extract_general_a_region_s_demonym_is_no_state(tmp_path, reference, nlp, boilerplate):
    text = "Yahua, a supplier of the North American Tesla, signed with two South American miners."
    found = {m.entity.rsplit("/", 1)[-1] for m in read(tmp_path, text, reference, nlp, boilerplate).mentions}
    assert {"North_America", "South_America"} <= found and "United_States" not in found


def test_extract_general_a_body_takes_the_state_named_right_after_it(tmp_path, reference, nlp, boilerplate):
    text = "A memorandum has been signed between Russia's Rosatom and the Ministry of Energy in Niger."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Ministry of Energy (Niger)", "GovernmentBody") in found


def test_extract_general_a_similar_agreement_replaces_the_partner(tmp_path, reference, nlp, boilerplate):
    text = (
        "L'UE et le Chili ont signé un accord sur le lithium et le cuivre. Un accord similaire a été signé le mois "
        "dernier avec l'Argentine, qui détient aussi d'importantes réserves de lithium."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Argentina", "European_Union"} in party_sets(agreements)


def test_extract_general_a_person_before_a_state_s_minister(tmp_path, reference, nlp, boilerplate):
    text = "Dele Alake, Nigeria's Minister of Solid Minerals, told DW the government would act."
    assert ("Dele Alake", "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("« Nous voulons de la valeur ajoutée », a déclaré Bahlil Lahadalia, selon un communiqué.", "Bahlil Lahadalia"),
        ("The ban is final, Dele Alake said on Monday.", "Dele Alake"),
    ],
)
def test_extract_general_a_person_named_as_who_speaks(tmp_path, text, person, reference, nlp, boilerplate):
    assert (person, "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


@pytest.mark.parametrize(
    "text",
    [
        "The company said Mt Cattlin was a very small part of the business.",
        "According to Global Trade Tracker (GTT), China imported more nickel ore.",
    ],
)
def test_extract_general_no_speaker_from_a_reported_clause(tmp_path, text, reference, nlp, boilerplate):
    assert not [n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lilac Solutions a signé avec Traxys un accord de fourniture de lithium.", {("Lilac Solutions", "Company")}),
        ("Kestrel Borates has acquired a stake in a lithium mine in Nevada.", {("Kestrel Borates", "Company")}),
        ("L'accord, signé mardi, porte sur le lithium.", set()),
        ("In March Kestrel Borates signed a deal.", set()),
    ],
)
def test_extract_general_a_company_that_opens_a_sentence_and_signs(
    tmp_path, text, expected, reference, nlp, boilerplate
):
    found = {(name, cls) for name, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"}
    assert found == expected


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("Le prix (1 dollar américain = 0,91 euro) a baissé.", set(), {"United_States"}),
        ("Une chaîne d'approvisionnement de lithium nord-américaine.", {"North_America"}, {"United_States"}),
        ("Le pays latino-américain exporte du lithium.", {"Latin_America"}, {"United_States"}),
        ("Pan American expects the deal to close.", set(), {"United_States"}),
        ("La communauté afro-américaine a voté.", set(), {"United_States"}),
        ("Un projet minier franco-chinois en Argentine.", {"China"}, set()),
        ("Supply Chain Concerns\nChinese companies control the refining.", {"China"}, set()),
        ("The American company signed.", {"United_States"}, set()),
    ],
)
def test_extract_general_a_demonym_that_names_no_state(text, present, absent, reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    found = {m.entity.rsplit("/", 1)[-1] for m in find_mentions(text, build_gazetteer(reference))}
    assert present <= found and not absent & found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Maroc exporte des phosphates. Le Royaume a signé un accord.", ["Morocco", "Morocco"]),
        ("The Kingdom signed three memorandums, the Saudi Arabia Press Agency said.", ["Saudi_Arabia", "Saudi_Arabia"]),
        ("Le Maroc et le Royaume-Uni ont signé.", ["Morocco", "United_Kingdom"]),
        ("Chile signed it. The Kingdom of Morocco did too.", ["Chile", "Morocco"]),
    ],
)
def test_extract_general_a_state_named_by_its_official_name_s_head(text, expected, reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    states = [
        m.entity for m in find_mentions(text, build_gazetteer(reference)) if reference.entities[m.entity].cls == "State"
    ]
    assert [s.rsplit("/", 1)[-1] for s in states] == expected


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        (
            "Japan and Chile signed a memorandum on lithium. China and Russia watched closely. "
            "The two nations also signed an agreement on copper.",
            [{"Japan", "Chile"}, {"Japan", "Chile"}],
        ),
        (
            "La Corée du Sud et le Vietnam vont renforcer leur coopération. "
            "Les deux nations ont signé un protocole d'entente sur les terres rares.",
            [{"South_Korea", "Vietnam"}],
        ),
        (
            "Le Niger et la société nucléaire française Orano ont décidé jeudi de prolonger la mine. "
            "Les deux parties ont signé un accord global de partenariat.",
            [{"Niger", "Orano"}],
        ),
        (
            "The two countries signed a memorandum on critical minerals, Kazakh Prime Minister Olzhas Bektenov "
            "said after meeting Japan's Fumio Kishida.",
            [{"Kazakhstan", "Japan"}],
        ),
    ],
)
def test_extract_general_the_two_nations_are_the_two_that_last_agreed(
    tmp_path, text, parties, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == parties


@pytest.mark.parametrize(
    "text",
    [
        "The lithium is produced in a country with a U.S. Free Trade Agreement.",
        "The U.S. ban on Russian uranium took effect in August.",
        "Shares rose on Wednesday morning after the announcement by Lumina.",
    ],
)
def test_extract_general_no_name_of_a_thing_or_a_date(tmp_path, text, reference, nlp, boilerplate):
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert not {name for name, _ in found} & {"Free Trade Agreement", "August", "Wednesday morning after"}


@pytest.mark.parametrize(
    ("text", "persons", "not_organisations"),
    [
        (
            "Rosatom held talks with Niger Prime Minister Ali Lamine Zeine, Minister of Mines Ousmane Abarchi and "
            "President Abdourahamane Tiani.",
            {"Ali Lamine Zeine", "Ousmane Abarchi", "Abdourahamane Tiani"},
            {"Minister of Mines", "Ali Lamine Zeine"},
        ),
        (
            "The meeting with President of Mexico Andres Manuel Lopez Obrador went well.",
            {"Andres Manuel Lopez Obrador"},
            set(),
        ),
        (
            "Following the meeting, ZCCM-IH Board Chairperson Kakenenwa Muyangwa expressed his satisfaction.",
            set(),
            {"Board Chairperson Kakenenwa Muyangwa"},
        ),
        ("However, NAC president and CEO Martin Antonio Zamora cautioned.", {"Martin Antonio Zamora"}, set()),
        (
            "La signature a eu lieu lors de la visite du ministre indien du Commerce Piyush Goyal à Washington.",
            {"Piyush Goyal"},
            {"Commerce Piyush Goyal"},
        ),
    ],
)
def test_extract_general_a_person_after_a_role_before_any_organisation(
    tmp_path, text, persons, not_organisations, reference, nlp, boilerplate
):
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert persons <= {name for name, cls in found if cls == "Person"}
    assert not not_organisations & {name for name, cls in found if cls in ("Company", "GovernmentBody")}


@pytest.mark.parametrize(
    "text",
    [
        "Atlas Lithium secured a $50 million investment from Mitsui.",
        "Atlas Lithium a reçu un investissement de 50 millions de dollars de la part de Mitsui.",
        "Atlas Lithium obtained a $50 million loan from Mitsui.",
    ],
)
def test_extract_general_an_investment_or_a_loan_from_a_funder(tmp_path, text, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == [("investment", {"Atlas_Lithium", "Mitsui_Co"})]


@pytest.mark.parametrize(
    "text",
    [
        "Albemarle et Ford ont signé un protocole d'accord sur les terres rares.",
        "Ford veut sécuriser son approvisionnement.",
    ],
)
def test_extract_general_an_ambiguous_company_name_listed_with_a_company_or_near_supply(text, reference):
    from graph.extract.mentions import build_gazetteer, find_mentions

    assert ID + "Ford_Motor_Company" in {m.entity for m in find_mentions(text, build_gazetteer(reference))}


@pytest.mark.parametrize(
    "text",
    [
        "The EU imports 98% of its rare earths from China.",
        "The EU depends on China for 98% of its rare earths.",
        "L'UE dépend de la Chine pour 98 % de ses terres rares.",
        "L'UE importe 98 % de ses terres rares de Chine.",
    ],
)
def test_extract_general_the_supplier_holds_the_share_of_the_importer_s_imports(
    tmp_path, text, reference, nlp, boilerplate
):
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert [(s.actor.rsplit("/", 1)[-1], s.stage, s.percent, s.consumer.rsplit("/", 1)[-1]) for s in shares] == [
        ("China", "imports", 98.0, "European_Union")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Thacker Pass project in Nevada is owned by Lithium Americas.",
            ("Thacker Pass", {"Lithium_Americas"}, "Nevada_US"),
        ),
        (
            "Ivanhoe Mines restarted the Kipushi zinc mine in the Democratic Republic of Congo.",
            ("Kipushi", {"Ivanhoe_Mines"}, "Democratic_Republic_of_the_Congo"),
        ),
        ("Eramet inaugurated a lithium plant in Argentina.", (None, {"Eramet"}, "Argentina")),
        ("Eramet a inauguré une usine de lithium en Argentine.", (None, {"Eramet"}, "Argentina")),
        ("Le projet de Jadar de Rio Tinto en Serbie a été relancé.", ("Jadar", {"Rio_Tinto"}, "Serbia")),
    ],
)
def test_extract_general_a_project_s_owner_and_place(tmp_path, text, expected, reference, nlp, boilerplate):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [
        (p.name, {x.rsplit("/", 1)[-1] for x in p.participants}, p.location and p.location.rsplit("/", 1)[-1])
        for p in projects
    ] == [expected]


def test_extract_general_an_unnamed_plant_located_once_is_located(tmp_path, reference, nlp, boilerplate):
    text = (
        "DMCI Mining and Nickel Asia signed a deal to develop a nickel processing plant. "
        "DMCI Mining and Nickel Asia will build the nickel processing plant in the Philippines."
    )
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert {p.location.rsplit("/", 1)[-1] for p in projects if p.kind == "Plant"} == {"Philippines"}


@pytest.mark.parametrize(
    ("text", "company", "participants"),
    [
        (
            "Chinese battery maker Gotion High-Tech will build a plant in Morocco.",
            "Gotion High-Tech",
            {"Gotion_High_Tech"},
        ),
        ("Canadian junior Frontier Lithium plans a refinery in Ontario.", "Frontier Lithium", {"Frontier_Lithium"}),
        ("Shares of Wildcat Resources jumped after the drilling results.", "Wildcat Resources", None),
    ],
)
def test_extract_general_a_company_after_its_nationality_and_kind(
    tmp_path, text, company, participants, reference, nlp, boilerplate
):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    known = {e.name for e in reference.entities.values() if e.cls == "Company"}
    assert company in known or (company, "Company") in names(result)
    if participants is not None:
        assert [{p.rsplit("/", 1)[-1] for p in x.participants} for x in result.projects] == [participants]


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        ("Umicore teams up with Volkswagen on battery materials.", {"Umicore", "Volkswagen_Group"}),
        ("Albemarle partners with Ford on lithium supply.", {"Albemarle_Corporation", "Ford_Motor_Company"}),
        ("Japan and the Philippines agree to boost critical minerals cooperation.", {"Japan", "Philippines"}),
    ],
)
def test_extract_general_a_partnership_told_with_a_verb(tmp_path, text, parties, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [parties]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # minerals of several words between the trigger's two links
        ("Sumitomo va développer le gisement de terres rares de Kvanefjeld au Groenland.", ["Kvanefjeld"]),
        ("CMOC exploite la mine de cuivre et de cobalt de Tenke au Congo.", ["Tenke"]),
        # a place after a bare particle is part of the name; after an article it is where the mine is
        ("Le Pérou a fermé la mine de Cerro de Pasco en 2019.", ["Cerro de Pasco"]),
        # a company's short name in apposition to the trigger names the project
        (
            "Le cobalt proviendra de Mutanda, un projet détenu à 80 % par Glencore (anciennement Mutanda Mining).",
            ["Mutanda"],
        ),
        # a name read as a person's right after a lower-case project word
        ("Codelco investira dans ses projets El Teniente et Los Bronces au Chili.", ["El Teniente", "Los Bronces"]),
        # minerals joined by a slash, an abbreviation in brackets
        ("Glencore restarted the Kamoto copper/cobalt mine in the Democratic Republic of Congo.", ["Kamoto"]),
        ("BHP will manage the Filo del Sol (FDS) and Josemaria copper projects.", ["Filo del Sol", "Josemaria"]),
    ],
)
def test_extract_general_project_names_between_links_particles_and_brackets(
    tmp_path, text, expected, reference, nlp, boilerplate
):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert sorted(p.name for p in projects) == sorted(expected)


def test_extract_general_a_person_after_a_capitalised_portfolio_is_a_person(tmp_path, reference, nlp, boilerplate):
    text = "Le mémorandum a été signé par le secrétaire d'Etat argentin aux Mines Luis Lucero."
    persons = {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Person"}
    assert persons == {"Luis Lucero"}


@pytest.mark.parametrize(
    ("text", "name", "participants"),
    [
        (
            "China’s BTR New Material Group opened an anode material plant in Indonesia.",
            None,
            {"BTR_New_Material_Group"},
        ),
        ("Novonix livrera du graphite depuis son installation de Riverside à Chattanooga.", "Riverside", {"Novonix"}),
        ("Recently, Atlas Lithium secured investments to set up the company’s first plant.", None, {"Atlas_Lithium"}),
        ("Zijin Mining construira des installations de raffinage sur le site.", None, {"Zijin_Mining_Group"}),
        (
            "Lynas Rare Earths Ltd, the biggest producer of rare earths, has a plant in Malaysia.",
            None,
            {"Lynas_Rare_Earths"},
        ),
    ],
)
def test_extract_general_a_plant_opened_or_owned_through_a_possessive(
    tmp_path, text, name, participants, reference, nlp, boilerplate
):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [(p.name, {x.rsplit("/", 1)[-1] for x in p.participants}) for p in projects] == [(name, participants)]


def test_extract_general_an_abbreviation_given_in_brackets_names_its_company_further_on(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Maaden Gold has finalised an agreement with Cobalt Ridge Metals Inc. (CRM) on exploration.\n\n"
        "Maaden Gold will acquire 10 million common shares in CRM."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {a.kind for a in agreements} >= {"acquisition"}
    assert all(len(parties) == 2 and "Cobalt_Ridge_Metals" in parties for parties in party_sets(agreements))


@pytest.mark.parametrize(
    ("text", "parties"),
    [
        # a state in a comparison is no party
        (
            "The joint venture between Ma'aden and Ivanhoe Electric will explore an area larger than Denmark.",
            {"Saudi_Arabian_Mining_Company", "Ivanhoe_Electric"},
        ),
        # what a deal moves away from
        (
            "Japan and Australia signed a critical minerals agreement to diversify away from China.",
            {"Japan", "Australia"},
        ),
        (
            "Le Japon et l'Australie ont signé un accord sur les minerais critiques pour s'approvisionner loin de "
            "la Chine.",
            {"Japan", "Australia"},
        ),
        # who reports it after an inverted reporting verb
        (
            "La RDC et le Rwanda ont conclu un accord-cadre de coopération sur les minerais, ont annoncé les "
            "États-Unis samedi.",
            {"Democratic_Republic_of_the_Congo", "Rwanda"},
        ),
        # a clause after *, but* has its own subject
        (
            "Japan and Australia signed a critical minerals agreement, but China criticised the move.",
            {"Japan", "Australia"},
        ),
    ],
)
def test_extract_general_no_party_after_than_or_but(tmp_path, text, parties, reference, nlp, boilerplate):
    assert party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements) == [parties]


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("Umicore announced a partnership with South Korea's HS Hyosung.", "HS Hyosung"),
        ("The offtake went to Germany's Thyssenkrupp Materials.", "Thyssenkrupp Materials"),
        # a role, a strategy, a region, a town: no company
        ("China's President Xi Jinping spoke about Canada's Critical Minerals Strategy.", None),
        ("Finland's Central Ostrobothnia and Sweden's Kiruna hold the deposits.", None),
    ],
)
def test_extract_general_a_company_after_a_state_s_possessive(tmp_path, text, company, reference, nlp, boilerplate):
    found = {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"}
    assert found == ({company} if company else set())


def test_extract_general_an_apposition_s_names_are_no_parties_of_the_sentence_s_agreement(
    tmp_path, reference, nlp, boilerplate
):
    text = "Lifezone Metals, a Nasdaq-listed company backed by BHP, signed an offtake agreement with Glencore."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Lifezone_Metals", "Glencore"}]


def test_extract_general_an_apposition_tells_its_own_agreement(tmp_path, reference, nlp, boilerplate):
    text = (
        "La société Sud Minerais, une coentreprise entre Eramet et Orano, a signé un accord avec Glencore "
        "sur le cobalt."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert sorted(kinds_and_parties(agreements), key=lambda kp: kp[0]) == [
        ("agreement", {"Sud_Minerais", "Glencore"}),
        ("joint_venture", {"Eramet", "Orano"}),
    ]


def test_extract_general_a_legal_form_without_its_dot_makes_a_company(tmp_path, reference, nlp, boilerplate):
    text = "La cible de Zijin est Hunan Houdao Mining Co, qui détient le gisement."
    assert ("Hunan Houdao Mining", "Company") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_name_ending_with_a_legal_form_is_a_company_s(tmp_path, reference, nlp, boilerplate):
    text = "The venture, Nova Andino Litio SpA, will develop the salar."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("Nova Andino Litio", "Company") in found and not any(cls == "Person" for _, cls in found)


@pytest.mark.parametrize(
    "text",
    [
        "Goulamina est l'un des plus grands gisements d'Afrique.",
        "Goulamina exploite un gisement de lithium dans la région de Kayes, au Mali.",
        "Le Tadjikistan représente 80 % de la production mondiale d'antimoine, selon le site Kayes.",
    ],
)
def test_extract_general_no_project_named_after_the_place_it_ranks_in_or_stands_in(
    tmp_path, text, reference, nlp, boilerplate
):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert not {p.name for p in projects} & {"Afrique", "Kayes"}


def test_extract_general_an_offtake_in_french_words(tmp_path, reference, nlp, boilerplate):
    text = "Pilbara Minerals a conclu un accord d'enlèvement avec le fabricant chinois de batteries CATL."
    assert [a.kind for a in read(tmp_path, text, reference, nlp, boilerplate).agreements] == ["offtake"]


@pytest.mark.parametrize(
    "text",
    [
        "DMCI Mining and Nickel Asia plan to jointly develop a nickel processing plant.",
        "Eramet et Tsingshan vont développer conjointement le gisement de Weda Bay.",
    ],
)
def test_extract_general_a_joint_development_is_a_joint_venture(tmp_path, text, reference, nlp, boilerplate):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert [(a.kind, len(a.parties)) for a in agreements] == [("joint_venture", 2)]


def test_extract_general_no_deal_object_in_a_title_case_headline(tmp_path, reference, nlp, boilerplate):
    text = "ZCCM-IH Shareholders Approve Acquisition of Majority Stake in Mopani Copper Mines\n\nThe vote was held."
    assert ("Majority Stake", "Company") not in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_minister_s_portfolio_is_no_company(tmp_path, reference, nlp, boilerplate):
    text = "Dele Alake, Nigeria’s Minister of Solid Materials, told DW the government would act."
    assert ("Solid Materials", "Company") not in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_legal_form_after_and_is_part_of_the_name():
    from graph.extract.mentions import company_name
    from graph.extract.reference import Lexicon

    lexicon = Lexicon({"legal_form": [("Co.", "", ""), ("Ltd", "", "")]})
    assert company_name("Mitsui & Co", lexicon) == "Mitsui & Co"
    assert company_name("Hunan Houdao Mining Co", lexicon) == "Hunan Houdao Mining"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Syrah Resources signed an off-take agreement with Tesla for graphite.", "offtake"),
        ("Glencore a signé un accord de financement avec Trafigura pour le cuivre.", "investment"),
        ("La Zambie et le Zimbabwe ont signé un protocole de coopération sur le lithium.", "mou"),
    ],
)
def test_extract_general_agreement_words_in_other_spellings(tmp_path, text, kind, reference, nlp, boilerplate):
    assert [a.kind for a in read(tmp_path, text, reference, nlp, boilerplate).agreements] == [kind]


def test_extract_general_two_companies_joined_by_and_in_one_span_are_two(tmp_path, reference, nlp, boilerplate):
    text = "Stellantis, the automaker behind Chrysler and Alfa Romeo among others, is expanding in Brazil."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert {("Chrysler", "Company"), ("Alfa Romeo", "Company")} <= found
    assert ("Chrysler and Alfa Romeo", "Company") not in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Nevada Copper holds the site; Peru Lithium & Energy owns the rest.", "Peru Lithium & Energy"),
        ("The deal with Korea Chile Lithium Associates was signed in May.", "Korea Chile Lithium Associates"),
    ],
)
def test_extract_general_a_state_s_name_before_a_mineral_names_a_company(
    tmp_path, text, name, reference, nlp, boilerplate
):
    assert (name, "Company") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_named_partnership_with_two_states_is_no_company(tmp_path, reference, nlp, boilerplate):
    text = "Both sides extended the India-Australia Critical Minerals Investment Partnership in March."
    assert not {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if cls == "Company"}


def test_extract_general_a_person_before_a_company_and_a_role_stays_a_person(tmp_path, reference, nlp, boilerplate):
    text = "Nikolas Papadakis, Peru Lithium president and CEO, said the drilling would start in May."
    assert ("Nikolas Papadakis", "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_the_companies_are_not_those_an_apposition_names(tmp_path, reference, nlp, boilerplate):
    text = (
        "Stellantis, the automaker behind Chrysler and Alfa Romeo, is buying almost a fifth of Peru Lithium & "
        "Energy for US$90 million.\nThe deal includes a seven-year offtake agreement for lithium, the companies said."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == [
        ("acquisition", {"Stellantis", "Peru_Lithium_Energy"}),
        ("offtake", {"Stellantis", "Peru_Lithium_Energy"}),
    ]


def test_extract_general_a_british_spelling_finds_the_same_body(tmp_path, reference, nlp, boilerplate):
    text = "The partnership signed a memorandum with the Japan Organisation for Metals and Energy Security."
    mentions = read(tmp_path, text, reference, nlp, boilerplate).mentions
    assert "Japan_Organization_for_Metals_and_Energy_Security" in {m.entity.rsplit("/", 1)[-1] for m in mentions}


def test_extract_general_an_initialism_with_or_without_dots_is_one_company(tmp_path, reference, nlp, boilerplate):
    text = "A delegation led by U.S. Strategic Metals arrived.\nThe memorandum with US Strategic Metals was signed."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert len([n for n, cls in found if cls == "Company" and "Strategic Metals" in n]) == 1


def test_extract_general_a_mine_after_a_country_s_possessive(tmp_path, reference, nlp, boilerplate):
    text = (
        "IRH plans to bid for a stake in Zambia’s Lubambe Copper Mine.\nIt is interested in an 80% stake in "
        "Lubambe held by EMR Capital."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert [p.name for p in result.projects] == ["Lubambe Copper"]
    assert ("Lubambe", "Company") not in names(result)


def test_extract_general_a_company_described_by_a_mine_word_is_no_mine(tmp_path, reference, nlp, boilerplate):
    text = "A battle between Shanghai-listed JCHX, a mine maintenance and contracting company, and IRH may result."
    assert not read(tmp_path, text, reference, nlp, boilerplate).projects


def test_extract_general_states_acquire_no_company(tmp_path, reference, nlp, boilerplate):
    text = "Oil companies from Saudi Arabia and the United Arab Emirates have begun to acquire resources in Africa."
    assert not read(tmp_path, text, reference, nlp, boilerplate).agreements


def test_extract_general_a_nationality_with_a_government_word_is_a_party_of_a_company_deal(
    tmp_path, reference, nlp, boilerplate
):
    text = "JAGA, a joint venture between the Japanese Government and Sojitz Corporation, will fund the plant."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Japan", "Sojitz_Corporation"} in party_sets(agreements)


def test_extract_general_a_refinery_named_after_the_company_s_possessive(tmp_path, reference, nlp, boilerplate):
    text = "The plant will be built at the company’s Wagerup alumina refinery in Western Australia."
    assert [p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects] == ["Wagerup"]


def test_extract_general_an_agreement_s_title_is_no_company(tmp_path, reference, nlp, boilerplate):
    text = "Alcoa backed the project under a Joint Development Agreement signed with Sojitz in August."
    assert not {n for n, cls in names(read(tmp_path, text, reference, nlp, boilerplate)) if "Agreement" in n}


def test_extract_general_a_pronoun_signer_is_the_paragraph_s_last_actor(tmp_path, reference, nlp, boilerplate):
    text = (
        "La présidente de la Commission européenne souhaite développer la coopération avec le Chili. Mardi, elle "
        "a signé avec le président chilien Gabriel Boric une déclaration d'intention sur le lithium."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"European_Commission", "Chile"}]


def test_extract_general_a_company_named_in_words_before_its_abbreviation(tmp_path, reference, nlp, boilerplate):
    text = "Kinshasa a signé un accord avec la Société minière du Katanga et du Lomami (Somikal) sur le cobalt."
    assert ("Société minière du Katanga et du Lomami", "Company") in names(
        read(tmp_path, text, reference, nlp, boilerplate)
    )


def test_extract_general_another_agreement_in_the_sentence_has_its_own_parties(tmp_path, reference, nlp, boilerplate):
    text = (
        "L'accord avec le Japon fait suite à la signature d'un autre contrat du Chili avec la société Albemarle "
        "sur le lithium."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Chile", "Albemarle_Corporation"} in party_sets(agreements)
    assert not any({"Japan", "Albemarle_Corporation"} <= parties for parties in party_sets(agreements))


def test_extract_general_a_given_name_before_a_place_word_is_no_person(tmp_path, reference, nlp, boilerplate):
    text = "Le groupe a obtenu un prêt pour l'expansion de Kathleen Valley, a déclaré Liontown Resources."
    assert ("Kathleen Valley", "Person") not in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_a_loan_beside_an_offtake_is_a_deal_of_its_own(tmp_path, reference, nlp, boilerplate):
    text = (
        "Liontown Resources a obtenu un financement de 250 millions de dollars de la part de LG Energy Solution, "
        "ainsi qu'une prolongation d'un contrat d'approvisionnement en lithium."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert sorted(a.kind for a in agreements) == ["investment", "offtake"]


def test_extract_general_companies_listed_after_a_company_word_one_deal_each(tmp_path, reference, nlp, boilerplate):
    text = (
        "Posco Future M a conclu un protocole d'entente respectif avec trois fournisseurs de minerais canadiens, "
        "à savoir Boreal, Kestrel et Lakeview."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert {("Boreal", "Company"), ("Kestrel", "Company"), ("Lakeview", "Company")} <= names(result)
    assert sorted(sorted(p) for p in party_sets(result.agreements)) == [
        ["Boreal", "POSCO_Future_M"],
        ["Kestrel", "POSCO_Future_M"],
        ["Lakeview", "POSCO_Future_M"],
    ]


def test_extract_general_the_company_in_apposition_describes_the_name_before(tmp_path, reference, nlp, boilerplate):
    text = (
        "Albemarle a ouvert une usine au Chili.\nQuant à KOMIR, l'entreprise publique chargée des mines, elle a "
        "signé un protocole d'entente avec le ministère canadien des Ressources naturelles."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert not any("Albemarle_Corporation" in parties for parties in party_sets(agreements))


def test_extract_general_congo_alone_is_the_congo_the_document_named(tmp_path, reference, nlp, boilerplate):
    text = (
        "The Democratic Republic of Congo is the largest source of cobalt.\nCongo suspended cobalt exports in February."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [m.imposer.rsplit("/", 1)[-1] for m in measures] == ["Democratic_Republic_of_the_Congo"]


@pytest.mark.parametrize(
    "text",
    [
        "Selon l'accord, Pilbara Minerals fournira à Stellantis du spodumène pendant cinq ans.",
        "A partir de 2026, Solvay devrait fournir Noveon Magnetics en néodyme et en dysprosium.",
        "Under the deal, Syrah Resources will supply Tesla with 8,000 tonnes of graphite a year.",
    ],
)
def test_extract_general_a_supply_one_company_promises_another_is_an_offtake(
    tmp_path, text, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {(a.kind, len(a.parties)) for a in agreements} == {("offtake", 2)}


def test_extract_general_a_share_of_supply_is_no_offtake(tmp_path, reference, nlp, boilerplate):
    text = "Glencore will supply 40% of the cobalt that Tesla needs."
    assert not [a for a in read(tmp_path, text, reference, nlp, boilerplate).agreements if a.kind == "offtake"]


def test_extract_general_an_agreement_takes_the_one_kind_the_document_gives_its_parties(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Stellantis a signé un accord avec Pilbara Minerals.\nPilbara Minerals fournira à Stellantis du spodumène "
        "pendant cinq ans."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {a.kind for a in agreements} == {"offtake"}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "Ioneer will sell lithium to Prime Planet Energy & Solutions (PPES), Toyota's venture.",
            "Prime Planet Energy & Solutions",
        ),
        (
            "The Critical Minerals Facilitation Office (CMFO) signed the memorandum.",
            None,
        ),
        ("Subsidies under the Inflation Reduction Act (IRA) favour US plants.", None),
        ("The plant uses Direct Lithium Extraction (DLE) to recover lithium.", None),
        ("Investors weigh Environmental, Social, and Governance (ESG) criteria.", None),
    ],
)
def test_extract_general_a_name_spelled_by_its_bracketed_initials(tmp_path, text, found, reference, nlp, boilerplate):
    from graph.extract.mentions import initialism_names
    from graph.extract.reference import load_reference

    names_found = [c.name for c in initialism_names(text, 0, [], load_reference())]
    assert names_found == ([found] if found else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Andes Lithium holds the Rincon West, Antofalla North and Pocitos brine projects.",
            {"Rincon West", "Antofalla North", "Pocitos"},
        ),
        ("L'Argentine a fermé la mine de Bajo de la Alumbrera en 2018.", {"Bajo de la Alumbrera"}),
        ("Reserves are concentrated in the Jijikrut and Konchoch ore fields.", {"Jijikrut", "Konchoch"}),
        ("Cela ouvre des perspectives pour les mines africaines, telles que Molo à Madagascar.", {"Molo"}),
        (
            "The venture will join Ganfeng’s Pozuelos project with Lithium Argentina’s Pastos Grandes project.",
            {"Pozuelos", "Pastos Grandes"},
        ),
    ],
)
def test_extract_general_project_names_in_lists_particles_and_examples(
    tmp_path, text, expected, reference, nlp, boilerplate
):
    assert {p.name for p in read(tmp_path, text, reference, nlp, boilerplate).projects} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Solvay a signé deux contrats pour fournir des terres rares à des industriels… américains.", []),
        (
            "Avoir un accord avec Ioneer fournit à Toyota un approvisionnement américain en lithium.",
            [{"Ioneer", "Toyota_Motor_Corporation"}],
        ),
        (
            "Le gouvernement américain a signé un accord avec Lynas sur les terres rares.",
            [{"United_States", "Lynas_Rare_Earths"}],
        ),
    ],
)
def test_extract_general_a_nationality_that_qualifies_a_thing_is_no_party(
    tmp_path, text, expected, reference, nlp, boilerplate
):
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == expected


def test_extract_general_a_compound_nationality_names_both_states(tmp_path, reference, nlp, boilerplate):
    text = "Fruit d'un partenariat franco-japonais, le site produira des terres rares."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"France", "Japan"}]


def test_extract_general_a_subsidiary_named_by_its_parent_and_its_country(tmp_path, reference, nlp, boilerplate):
    text = "CMOC Singapore, a subsidiary of China’s CMOC Group, has agreed to acquire Lumina Gold."
    found = names(read(tmp_path, text, reference, nlp, boilerplate))
    assert ("CMOC Singapore", "Company") in found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "The signing was attended by His Excellency Mr. Bandar bin Ibrahim Al-Khorayef, Minister of Industry.",
            "Bandar bin Ibrahim Al-Khorayef",
        ),
        (
            "Energy Minister and head of the committee Prince Abdulaziz bin Salman and the US government signed.",
            "Abdulaziz bin Salman",
        ),
    ],
)
def test_extract_general_arabic_names_with_titles_and_family_names(tmp_path, text, name, reference, nlp, boilerplate):
    assert (name, "Person") in names(read(tmp_path, text, reference, nlp, boilerplate))


def test_extract_general_an_exchange_code_in_brackets_is_no_party(tmp_path, reference, nlp, boilerplate):
    text = "Stellantis is buying almost a fifth of Peru Lithium & Energy (TSX-V: PLE; US-OTC: PLENF) for US$90 million."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {frozenset(p) for p in party_sets(agreements)} == {frozenset({"Stellantis", "Peru_Lithium_Energy"})}


def test_extract_general_a_state_to_depend_less_on_is_no_party(tmp_path, reference, nlp, boilerplate):
    text = "To depend less on China, Tesla will buy graphite from Syrah Resources."
    assert party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements) == [{"Syrah_Resources", "Tesla"}]


def test_extract_general_a_nationality_before_state_owned_company_words(tmp_path, reference, nlp, boilerplate):
    text = "The Swedish state-owned mining company LKAB enters as the main investor in the Norwegian company REEtec AS."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Luossavaara_Kiirunavaara_AB", "REEtec"}]


def test_extract_general_the_company_s_partnership_has_the_company_as_party(tmp_path, reference, nlp, boilerplate):
    text = (
        "Umicore will sell its anode unit.\nThe company's recently announced partnership with South Korea’s HS "
        "Hyosung will anchor production."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Umicore", "HS_Hyosung"}]


def test_extract_general_a_law_that_imposes_a_tariff_is_the_tariff_s_instrument(tmp_path, reference, nlp, boilerplate):
    text = "U.S. President Donald Trump signed an executive order on Wednesday imposing tariffs of 50% on copper."
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert [m.kind for m in measures] == ["Tariff"]


def test_extract_general_a_state_naming_a_currency_is_no_party(tmp_path, reference, nlp, boilerplate):
    text = "Gécamines has proposed acquiring Chemaf for 30 million US dollars, Reuters reported."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert party_sets(agreements) == [{"Gecamines", "Chemaf"}]


def test_extract_general_a_legal_form_cut_by_the_parser_stays_in_its_sentence(tmp_path, reference, nlp, boilerplate):
    text = "Lynas bought the deposit from Tarrawonga Pty. Ltd., a family firm, in March."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert [kind for kind, _ in kinds_and_parties(agreements)] == ["acquisition"]
    assert len(party_sets(agreements)[0]) == 2


def test_extract_general_an_investment_noun_in_a_company(tmp_path, reference, nlp, boilerplate):
    text = "The Public Investment Fund announced a $300 million investment in Canadian company Ivanhoe Mines."
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert kinds_and_parties(agreements) == [("investment", {"Public_Investment_Fund", "Ivanhoe_Mines"})]


def test_extract_general_a_described_company_is_what_the_pronoun_means(tmp_path, reference, nlp, boilerplate):
    text = (
        "La start-up Vulcan Energy Resources extrait du lithium dans la vallée du Rhin.\n"
        "La junior minière australienne multiplie les annonces. En 2022, elle a conclu un contrat "
        "d'approvisionnement avec Stellantis afin de lui fournir de l'hydroxyde de lithium allemand. Des contrats "
        "similaires ont été signés avec Renault, mais aussi avec le chimiste Umicore."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {frozenset(p) for p in party_sets(agreements)} == {
        frozenset({"Vulcan_Energy_Resources", other}) for other in ("Stellantis", "Renault_Group", "Umicore")
    }
    assert {kind for kind, _ in kinds_and_parties(agreements)} == {"offtake"}


def test_extract_general_the_partner_after_with_is_no_paragraph_subject(tmp_path, reference, nlp, boilerplate):
    text = (
        "Les États-Unis ont redoublé d'efforts. Le partenariat a été renforcé avec l'Arabie saoudite. "
        "Un accord a été signé avec l'Ukraine en mai."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"United_States", "Ukraine"} in party_sets(agreements)


def test_extract_general_a_state_whose_body_signs_invests_nothing_beside_it(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Corporation financière de développement internationale des États-Unis (DFC) a émis une lettre "
        "d'intention pour évaluer un investissement en capitaux propres dans la coentreprise Gécamines-Mercuria."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert all("United_States" not in parties for parties in party_sets(agreements))


def test_extract_general_a_share_of_a_stage_located_in_a_state_is_scoped_to_it(tmp_path, reference, nlp, boilerplate):
    text = "Les entreprises chinoises contrôlent 60% des mines de cobalt et de cuivre en Zambie."
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert {
        (s.actor.rsplit("/", 1)[-1], s.mineral.rsplit("/", 1)[-1], s.stage, s.scope.rsplit("/", 1)[-1]) for s in shares
    } == {
        ("China", "Cobalt", "extraction", "Zambia"),
        ("China", "Copper", "extraction", "Zambia"),
    }


def test_extract_general_the_country_opening_a_paragraph_is_the_document_s_state(tmp_path, reference, nlp, boilerplate):
    text = (
        "La Zambie est un grand producteur de cobalt.\n"
        "La Zambie abrite 5 % des réserves mondiales de cobalt, selon la commission géologique américaine.\n"
        "En 2023, ce pays africain a extrait 10 000 tonnes de ce métal précieux, soit 4 % de la production mondiale."
    )
    shares = read(tmp_path, text, reference, nlp, boilerplate).shares
    assert ("Zambia", "Cobalt", "production") in {
        (s.actor.rsplit("/", 1)[-1], s.mineral.rsplit("/", 1)[-1], s.stage) for s in shares
    }
    assert all(s.actor.rsplit("/", 1)[-1] != "United_States" for s in shares)


def test_extract_general_an_export_tax_and_an_unsigned_ban_of_the_document_s_state(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Le Zimbabwe envisage une taxe sur les exportations de lithium.\n"
        "Le ministre zimbabwéen l'a confirmé jeudi.\n"
        "Cette idée est née des limites de l'interdiction d'exportation du minerai de lithium brut décidée en 2022."
    )
    measures = read(tmp_path, text, reference, nlp, boilerplate).measures
    assert {(m.kind, m.imposer.rsplit("/", 1)[-1]) for m in measures} == {
        ("Tariff", "Zimbabwe"),
        ("ExportControl", "Zimbabwe"),
    }


def test_extract_general_portuguese_particles_join_a_project_name(tmp_path, reference, nlp, boilerplate):
    text = "Le projet de lithium Serra do Cabral devrait produire 20 000 tonnes par an, a déclaré la société."
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [p.name for p in projects] == ["Serra do Cabral"]


def test_extract_general_a_plural_trigger_names_each_of_its_projects(tmp_path, reference, nlp, boilerplate):
    text = "Lepidolite was found at the two deposits, Kraisorn and E-wat, the geological survey said."
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert sorted(p.name for p in projects) == ["E-wat", "Kraisorn"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Interest came from Kestrel Steel & Power Ltd., a conglomerate.", "Kestrel Steel & Power"),
        ("Lepidolite with rubidium and caesium was found.", "Cesium"),
        # a mineral's name that is also a word is the mineral when listed with another one
        ("Bolivia has rich deposits of tin, zinc and silver.", "Tin"),
        # an ambiguous company's name with a trade word near it
        ("Yahua, a supplier of Tesla, announced an investment.", "Tesla"),
    ],
)
def test_extract_general_names_with_an_ampersand_or_another_spelling(tmp_path, text, name, reference, nlp, boilerplate):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert name in {m.candidate_name or m.entity.rsplit("/", 1)[-1] for m in result.mentions}


def test_extract_general_the_forum_on_whose_sidelines_states_sign_is_no_party(tmp_path, reference, nlp, boilerplate):
    text = (
        "On the sidelines of the Asia-Pacific Economic Cooperation Forum (APEC) meeting, Chilean President Gabriel "
        "Boric and Japanese Prime Minister Fumio Kishida signed an agreement on lithium."
    )
    assert party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements) == [{"Chile", "Japan"}]


def test_extract_general_a_state_that_also_signed_signed_with_the_document_s_partner(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "The Chilean government signed agreements with South Korea and Japan on lithium supply chains.\n"
        "In May, Canada also signed an agreement to cooperate on critical minerals."
    )
    agreements = read(tmp_path, text, reference, nlp, boilerplate).agreements
    assert {"Canada", "Chile"} in party_sets(agreements)


def test_extract_general_a_state_s_possessive_of_a_thing_is_no_party_to_a_company_deal(
    tmp_path, reference, nlp, boilerplate
):
    text = (
        "Zijin Mining has signed a definitive agreement to acquire Lumina Gold, marking a major step into "
        "Ecuador's underdeveloped mining sector."
    )
    assert party_sets(read(tmp_path, text, reference, nlp, boilerplate).agreements) == [
        {"Zijin_Mining_Group", "Lumina_Gold"}
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an unnamed plant a company of its clause works on counts
        (
            "Le concentré venu du Québec, où Nemaska Lithium exploite une mine, sera raffiné dans une usine à "
            "Bécancour, au Canada.",
            [("Mine", True), ("Plant", True)],
        ),
        # a definite one points back to a plant already told, and a mine needs a name, a price or an owner
        ("Rock Tech Lithium said the plant would open in 2026.", []),
    ],
)
def test_extract_general_an_unnamed_plant_with_a_company(tmp_path, text, expected, reference, nlp, boilerplate):
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert sorted((p.kind, p.name is None) for p in projects) == expected


@pytest.mark.parametrize(
    "text, entity, cls",
    [
        (
            "Le ministère du Commerce, de l'Industrie et de l'Énergie a publié un plan.",
            "Ministry_of_Trade_Industry_and_Energy_of_South_Korea",
            "GovernmentBody",
        ),
        ("Selon Eurostat, l'Union importe son lithium.", "Eurostat", "GovernmentBody"),
        ("The European Council adopted the act.", "European_Council", "GovernmentBody"),
    ],
)
def test_extract_general_bodies_of_the_eu_and_ministries_by_their_french_names(
    tmp_path, text, entity, cls, reference, nlp, boilerplate
):
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert entity in {m.entity.rsplit("/", 1)[-1] for m in result.mentions}
    assert reference.entities[f"https://w3id.org/cmkg/id/{entity}"].cls == cls


def test_extract_general_a_fund_named_by_its_nationality_is_an_investor(tmp_path, reference, nlp, boilerplate):
    text = "The Norwegian fund's chief executive said the investment would support Ivanhoe Mines."
    projects = read(tmp_path, text, reference, nlp, boilerplate).projects
    assert [p for p in projects if p.kind == "Fund"] == []


def test_extract_general_a_state_named_as_whom_controls_target_is_not_the_body_s(tmp_path, reference, nlp, boilerplate):
    text = (
        "China has tightened its grip on critical mineral exports.\n"
        "The Ministry of Commerce imposed export controls on gallium and germanium to the USA in August."
    )
    result = read(tmp_path, text, reference, nlp, boilerplate)
    assert not any(name.endswith("(United States)") for name, _ in names(result))
    assert {m.imposer.rsplit("/", 1)[-1] for m in result.measures} == {"China"}
