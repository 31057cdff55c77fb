"""Synthetic good practices in the template, to measure Praxis at scale without real data.

Practice i depends only on (seed, i), so the 1k corpus is the first thousand of the 10k one and
every run of the same command writes byte-identical files:

    python -m benchmarks.synth_corpus 1000 /tmp/synth-1k            # .txt files + metadata.jsonl
    python -m benchmarks.synth_corpus 1000 /tmp/synth-1k --format jsonl   # one export, 1000 records

Each practice has a title, the seven template sections, a country, region, city, theme and owner,
and figures (budgets, staff, companies, percentages, tonnes) that differ between practices, so
questions about one practice have one right answer. `questions()` makes such questions.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

COUNTRIES: dict[str, list[tuple[str, list[str]]]] = {
    "Austria": [("Styria", ["Graz", "Leoben"]), ("Upper Austria", ["Linz", "Wels", "Steyr"])],
    "Belgium": [("Flanders", ["Ghent", "Leuven"]), ("Wallonia", ["Liège", "Namur"])],
    "Bulgaria": [("Plovdiv", ["Plovdiv", "Asenovgrad"]), ("Varna", ["Varna"])],
    "Croatia": [("Istria", ["Pula", "Rovinj"]), ("Split-Dalmatia", ["Split", "Makarska"])],
    "Czechia": [("South Moravia", ["Brno", "Znojmo"]), ("Vysočina", ["Jihlava", "Třebíč"])],
    "Denmark": [("Southern Denmark", ["Odense", "Esbjerg"]), ("Zealand", ["Roskilde", "Næstved"])],
    "Estonia": [("Harju County", ["Tallinn"]), ("Tartu County", ["Tartu", "Elva"])],
    "Finland": [("Pirkanmaa", ["Tampere", "Nokia"]), ("North Ostrobothnia", ["Oulu", "Raahe"])],
    "France": [("Occitanie", ["Toulouse", "Montpellier"]), ("Hauts-de-France", ["Lille", "Amiens"])],
    "Germany": [("Bavaria", ["Nuremberg", "Regensburg"]), ("Saxony", ["Leipzig", "Chemnitz"])],
    "Greece": [("Central Macedonia", ["Thessaloniki", "Serres"]), ("Crete", ["Heraklion", "Chania"])],
    "Hungary": [("Western Transdanubia", ["Győr", "Sopron"]), ("Southern Great Plain", ["Szeged"])],
    "Ireland": [("Southern Region", ["Cork", "Limerick"]), ("Northern and Western", ["Galway", "Sligo"])],
    "Italy": [("Emilia-Romagna", ["Bologna", "Modena"]), ("Apulia", ["Bari", "Lecce"])],
    "Latvia": [("Kurzeme", ["Liepāja", "Ventspils"]), ("Vidzeme", ["Valmiera", "Cēsis"])],
    "Lithuania": [("Kaunas County", ["Kaunas"]), ("Klaipėda County", ["Klaipėda", "Palanga"])],
    "Netherlands": [("North Brabant", ["Eindhoven", "Tilburg"]), ("Friesland", ["Leeuwarden"])],
    "Poland": [("Lower Silesia", ["Wrocław", "Wałbrzych"]), ("Podkarpackie", ["Rzeszów", "Mielec"])],
    "Portugal": [("Norte", ["Porto", "Braga"]), ("Alentejo", ["Évora", "Beja"])],
    "Romania": [("North-West", ["Cluj-Napoca", "Oradea"]), ("West", ["Timișoara", "Arad"])],
    "Slovakia": [("Košice Region", ["Košice"]), ("Žilina Region", ["Žilina", "Martin"])],
    "Slovenia": [("Savinjska", ["Celje", "Velenje"]), ("Gorenjska", ["Kranj", "Bled"])],
    "Spain": [("Aragon", ["Zaragoza", "Huesca"]), ("Andalusia", ["Seville", "Málaga"])],
    "Sweden": [("Västra Götaland", ["Gothenburg", "Borås"]), ("Norrbotten", ["Luleå", "Kiruna"])],
    "Norway": [("Trøndelag", ["Trondheim", "Steinkjer"])],
}


@dataclass(frozen=True)
class Theme:
    name: str
    titles: tuple[str, ...]
    activities: tuple[str, ...]
    results: tuple[str, ...]
    beneficiaries: str


THEMES: tuple[Theme, ...] = (
    Theme(
        "innovation vouchers",
        (
            "{city} Innovation Voucher",
            "{region} SME Innovation Cheque",
            "Voucher for Research Services in {region}",
        ),
        (
            "small firms buy up to {small_money} of services from universities and research centres",
            "applications are answered within {days} working days with a one-page form",
            "a second, larger voucher of up to {money} funds prototypes and testing",
        ),
        (
            "{n_companies} SMEs received a voucher, {pct}% of them for the first time",
            "{n_projects} cooperation projects with research organisations were completed",
            "{pct2}% of the companies continued working with the research partner afterwards",
        ),
        "SMEs",
    ),
    Theme(
        "clusters",
        ("{region} {sector} Cluster", "{city} {sector} Network", "{sector} Cluster of {region}"),
        (
            "the cluster organisation runs joint purchasing, training and export missions for its members",
            "members meet in {n_groups} working groups on skills, digitalisation and supply chains",
            "a shared testing laboratory is open to members at cost price",
        ),
        (
            "membership grew from {small_n} to {n_members} organisations",
            "members launched {n_projects} joint innovation projects worth {money} in total",
            "{n_jobs} new jobs were created in member companies",
        ),
        "companies in the {sector_lower} sector",
    ),
    Theme(
        "circular economy",
        (
            "{city} Circular Business Hub",
            "Industrial Symbiosis Programme {region}",
            "{city} Repair and Reuse Network",
        ),
        (
            "a facilitator maps the waste and by-product flows of local companies and finds matches",
            "companies exchange surplus heat, water and materials through bilateral agreements",
            "repair cafés and a reuse shop give a second life to furniture and electronics",
        ),
        (
            "{tonnes} tonnes of materials were kept out of landfill every year",
            "{tonnes_co2} tonnes of CO2 emissions were avoided annually",
            "{n_companies} companies took part in at least one exchange",
        ),
        "manufacturing companies and households",
    ),
    Theme(
        "renewable energy communities",
        (
            "{city} Community Energy Cooperative",
            "{region} Citizen Solar Programme",
            "{city} Community Wind Park",
        ),
        (
            "citizens buy shares of {share_price} euros and jointly own the installations",
            "the municipality leases public roofs to the cooperative for a symbolic fee",
            "the profits are reinvested in energy-saving measures for low-income households",
        ),
        (
            "the installations produce {gwh} GWh of electricity per year",
            "{n_members} citizens became members of the cooperative",
            "{tonnes_co2} tonnes of CO2 are avoided each year",
        ),
        "citizens and local businesses",
    ),
    Theme(
        "sustainable mobility",
        ("{city} Low-Traffic Centre", "{region} Rural Bus on Demand", "{city} Cycling Highway"),
        (
            "car traffic was removed from {km} km of streets in the centre",
            "a booking app lets rural residents order a minibus at least one hour in advance",
            "a protected cycle route of {km} km connects the suburbs with the centre",
        ),
        (
            "cycling trips increased by {pct}% within {years} years",
            "the service carried {n_trips} passengers in its first year",
            "air pollution (NO2) in the centre fell by {pct2}%",
        ),
        "residents and commuters",
    ),
    Theme(
        "digitalisation of SMEs",
        (
            "{region} Digital Innovation Hub",
            "Digital Check for SMEs in {region}",
            "{city} E-commerce Academy",
        ),
        (
            "companies get a free digital maturity assessment and a tailored action plan",
            "a grant covers {pct}% of the cost of software, consulting and training",
            "trainers visit the companies on site for {days} days of coaching",
        ),
        (
            "{n_companies} SMEs completed the digital check",
            "participating companies raised their online sales by {pct2}% on average",
            "{n_projects} digitalisation projects were co-financed",
        ),
        "micro and small enterprises",
    ),
    Theme(
        "health and social care",
        (
            "{city} Telemonitoring Service",
            "{region} Integrated Home Care",
            "{city} Dementia-Friendly Community",
        ),
        (
            "nurses follow chronic patients at home with tablets and connected devices",
            "small self-managing teams of nurses organise care around each patient",
            "shops, transport staff and volunteers are trained to recognise and help people with dementia",
        ),
        (
            "hospital admissions of the patients fell by {pct}%",
            "{n_patients} patients were followed in the first {years} years",
            "patient satisfaction reached {score} out of 10",
        ),
        "older people and chronic patients",
    ),
    Theme(
        "sustainable tourism",
        (
            "{region} Green Destination Label",
            "{city} Slow Tourism Trail",
            "{region} Car-Free Holiday Package",
        ),
        (
            "accommodation providers earn the label by meeting {n_criteria} environmental criteria",
            "a {km} km trail links villages, farms and heritage sites",
            "guests arriving by train get free local transport and luggage service",
        ),
        (
            "{n_companies} tourism businesses earned the label",
            "overnight stays outside the high season grew by {pct}%",
            "visitor spending in the villages reached {money} per year",
        ),
        "tourism businesses and visitors",
    ),
    Theme(
        "youth employment",
        (
            "{city} One-Stop Youth Guidance Centre",
            "{region} Apprenticeship Alliance",
            "{city} Youth Start-up Lab",
        ),
        (
            "young people under 30 get advice on jobs, training, housing and health in one place",
            "companies and vocational schools share the training of apprentices",
            "a six-month programme with mentors helps young people test a business idea",
        ),
        (
            "{n_young} young people were helped each year",
            "{pct}% of the participants found a job or training within six months",
            "{n_startups} start-ups were created by participants",
        ),
        "young people not in employment, education or training",
    ),
    Theme(
        "rural broadband",
        (
            "{region} Fibre to Every Home",
            "{city} Village Broadband Cooperative",
            "Rural Gigabit Programme {region}",
        ),
        (
            "villages organise themselves to dig trenches and lay fibre with a local operator",
            "the region pays the gap between the operators' cost and a fair connection fee",
            "a broadband coordinator helps each municipality plan its network",
        ),
        (
            "{pct}% of rural households now have a fibre connection",
            "{n_households} households and {n_companies} businesses were connected",
            "the connection fee was kept below {share_price} euros per household",
        ),
        "rural households and businesses",
    ),
    Theme(
        "internationalisation",
        ("{region} Export Consortia", "{city} Go International Programme", "{region} Export Readiness Plan"),
        (
            "groups of three to eight SMEs share an export manager for {years} years",
            "companies get an individual internationalisation plan drawn up with an adviser",
            "trade missions to {n_markets} target markets are co-financed",
        ),
        (
            "{n_companies} SMEs started exporting for the first time",
            "exports of the participating companies grew by {pct}%",
            "{n_projects} export consortia were formed",
        ),
        "SMEs with little export experience",
    ),
)
SECTORS = (
    "Automotive",
    "Aerospace",
    "Food",
    "ICT",
    "Wood and Furniture",
    "Textile",
    "Medical Technology",
    "Logistics",
    "Cleantech",
    "Creative Industries",
    "Photonics",
    "Maritime",
)
FUNDERS = (
    "the European Regional Development Fund (ERDF)",
    "the regional government",
    "the national innovation agency",
    "the municipality",
    "Interreg Europe partners",
    "the European Social Fund Plus",
)
SYLLABLES = (
    "ka",
    "lo",
    "ve",
    "ni",
    "tra",
    "mo",
    "re",
    "sa",
    "ku",
    "ter",
    "bi",
    "no",
    "el",
    "da",
    "fu",
    "zi",
    "ra",
    "po",
    "lin",
    "ce",
    "ga",
    "ma",
    "sto",
    "vi",
)
OWNERS = (
    "{region} Development Agency",
    "Municipality of {city}",
    "{city} Chamber of Commerce",
    "{country} Innovation Agency",
    "{region} Energy Agency",
    "University of {city}",
)


@dataclass
class SynthPractice:
    """One synthetic practice: the file text plus what questions need to know."""

    index: int
    slug: str
    title: str
    country: str
    region: str
    city: str
    theme: str
    owner: str
    year: int
    budget: str
    staff: int
    sections: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        parts = [self.title]
        for name, body in self.sections.items():
            parts += [name, body]
        return "\n".join(parts) + "\n"

    def metadata(self, file: str) -> dict[str, str]:
        return {
            "file": file,
            "title": self.title,
            "country": self.country,
            "region": self.region,
            "theme": self.theme,
            "source": f"https://example.org/good-practices/{self.slug}",
        }

    def record(self) -> dict[str, object]:
        """The practice as an export record (the default record field mapping reads it)."""
        return {
            "id": f"gp-{self.index:06d}",
            "title": self.title,
            "country": self.country,
            "region": self.region,
            "theme": self.theme,
            "url": f"https://example.org/good-practices/{self.slug}",
            "sections": self.sections,
        }


def _money(rng: random.Random, low: int, high: int) -> str:
    value = rng.randrange(low, high, 5_000)
    if value >= 1_000_000:
        return f"EUR {value / 1_000_000:.1f} million"
    return f"EUR {value:,}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def practice(seed: int, index: int) -> SynthPractice:
    """Practice number `index` of the corpus with this seed (independent of the corpus size)."""
    rng = random.Random(seed * 1_000_003 + index)
    country = rng.choice(sorted(COUNTRIES))
    region, cities = rng.choice(COUNTRIES[country])
    city = rng.choice(cities)
    theme = rng.choice(THEMES)
    sector = rng.choice(SECTORS)
    year = rng.randrange(1998, 2023)
    values = {
        "city": city,
        "region": region,
        "country": country,
        "sector": sector,
        "sector_lower": sector.lower(),
        "money": _money(rng, 200_000, 9_000_000),
        "small_money": _money(rng, 5_000, 60_000),
        "days": rng.randrange(5, 40),
        "n_groups": rng.randrange(3, 9),
        "small_n": rng.randrange(8, 30),
        "n_members": rng.randrange(40, 900),
        "n_projects": rng.randrange(12, 400),
        "n_jobs": rng.randrange(30, 2500),
        "n_companies": rng.randrange(25, 3000),
        "pct": rng.randrange(8, 75),
        "pct2": rng.randrange(5, 60),
        "tonnes": f"{rng.randrange(1, 90) * 1000:,}",
        "tonnes_co2": f"{rng.randrange(200, 60_000):,}",
        "share_price": rng.choice((50, 100, 250, 500)),
        "gwh": rng.randrange(2, 120),
        "km": rng.randrange(3, 140),
        "years": rng.randrange(2, 8),
        "n_trips": f"{rng.randrange(5, 400) * 1000:,}",
        "n_patients": f"{rng.randrange(150, 20_000):,}",
        "score": rng.choice(("7.9", "8.4", "8.8", "9.1")),
        "n_criteria": rng.randrange(20, 90),
        "n_young": f"{rng.randrange(300, 12_000):,}",
        "n_startups": rng.randrange(10, 300),
        "n_households": f"{rng.randrange(900, 80_000):,}",
        "n_markets": rng.randrange(3, 15),
    }
    brand = "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).upper()
    title = f"{rng.choice(theme.titles).format(**values)} ({brand})"
    owner = rng.choice(OWNERS).format(**values)
    budget = str(values["money"])
    staff = rng.randrange(2, 25)
    activities = rng.sample(theme.activities, k=len(theme.activities))
    results = rng.sample(theme.results, k=len(theme.results))
    funder, cofunder = rng.sample(FUNDERS, 2)

    about = (
        f"{title} is a {theme.name} practice in {city}, {region} ({country}), started in {year} by "
        f"{owner}. It addresses {theme.beneficiaries} who lacked the means, contacts or information "
        f"to act on their own. In short, {activities[0]}. " + f"In addition, {activities[1]}. "
        f"The practice was designed together with local stakeholders after a survey of "
        f"{rng.randrange(60, 900)} {theme.beneficiaries.split(' and ')[0]} in {region}.\n"
        f"Since {year + rng.randrange(1, 4)}, {activities[2]}. The team reviews the rules every "
        f"{rng.choice(('year', 'two years', 'programming period'))} and publishes the results online. "
        f"The practice is part of the {region} strategy for {theme.name} and was presented to "
        f"Interreg Europe partners as a good practice."
    )
    resources = (
        f"The total budget was {budget} over {values['years']} years, financed by {funder} and "
        f"{cofunder}. A team of {staff} staff (full-time equivalent) at {owner} runs the practice. "
        f"About {rng.randrange(5, 40)}% of the budget goes to coordination and communication, the rest "
        f"to {theme.beneficiaries}."
    )
    evidence = (
        f"An evaluation in {year + values['years']} found that:\n"
        + "\n".join(f"• {r.format(**values)};" for r in results)
        + f"\nThe practice won the {region} award for public innovation in "
        f"{year + rng.randrange(1, 6)}."
    )
    opinion = (
        f"The practice is {rng.choice(('simple', 'well documented', 'cost-effective', 'innovative'))} "
        f"and answers a need shared by many regions. Its results are backed by an evaluation, "
        f"although the figures on {rng.choice(('long-term effects', 'costs per beneficiary', 'jobs'))} "
        f"should be followed over more years. Regions that consider it should check that "
        f"{rng.choice(('a stable budget', 'a committed lead organisation', 'local partners'))} "
        f"is available before they start."
    )
    if rng.random() < 0.3:
        about += (
            f"\nIn {year + rng.randrange(2, 9)} the practice was extended to "
            f"{rng.choice(('neighbouring municipalities', 'the whole region', 'cross-border partners'))}, "
            f"and a second phase with {rng.randrange(10, 60)} additional partners began. "
            f"The extension was prepared with a study of the first results and an open consultation."
        )
    transfer = (
        f"The approach can be copied by any {rng.choice(('region', 'city', 'municipality'))} with a "
        f"motivated public partner and a small coordination team. The main success factors are "
        f"{rng.choice(('simple procedures', 'trust between partners', 'strong political support'))} "
        f"and {rng.choice(('fast decisions', 'a clear budget', 'local ownership'))}. "
        f"It has already been adapted in {rng.randrange(1, 9)} other regions, including "
        f"{rng.choice([c for c in sorted(COUNTRIES) if c != country])}. A challenge is to keep "
        f"{theme.beneficiaries} involved after the funding ends."
    )
    further = (
        f"Website of {owner}; evaluation report {year + values['years']}. "
        f"Source: https://example.org/good-practices/{_slug(title)}-{index}"
    )
    contact = (
        f"You can contact the good practice owner below for more detailed information.\n"
        f"Organisation: {owner}, {country}"
    )
    return SynthPractice(
        index=index,
        slug=f"{index:06d}-{_slug(title)}",
        title=title,
        country=country,
        region=region,
        city=city,
        theme=theme.name,
        owner=owner,
        year=year,
        budget=budget,
        staff=staff,
        sections={
            "About this good practice": about,
            **({"Expert opinion": opinion} if rng.random() < 0.5 else {}),
            "Resources needed": resources,
            "Evidence of success": evidence,
            "Potential for learning or transfer": transfer,
            "Further information": further,
            "Good practice owner": contact,
        },
    )


def practices(n: int, seed: int = 7) -> Iterator[SynthPractice]:
    for index in range(n):
        yield practice(seed, index)


def questions(n: int, *, corpus_size: int, seed: int = 7) -> list[str]:
    """n questions about practices of a corpus of corpus_size, deterministic by seed."""
    rng = random.Random(seed + 99)
    asked: list[str] = []
    templates = (
        "What was the budget of {title}?",
        "How many staff run {title}?",
        "When did {title} start?",
        "Who owns {title} in {city}?",
        "What did the evaluation of {title} find?",
        "Which {theme} practices are there in {region}?",
        "Can {title} be transferred to other regions?",
    )
    for _ in range(n):
        p = practice(seed, rng.randrange(corpus_size))
        asked.append(rng.choice(templates).format(title=p.title, city=p.city, theme=p.theme, region=p.region))
    return asked


def write_corpus(n: int, target: Path, *, seed: int = 7, fmt: str = "txt") -> list[Path]:
    """Write n practices under target as .txt/.md files with metadata.jsonl, or one .jsonl export."""
    target.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = target / "practices.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for p in practices(n, seed):
                out.write(json.dumps(p.record(), ensure_ascii=False) + "\n")
        return [path]
    written: list[Path] = []
    with (target / "metadata.jsonl").open("w", encoding="utf-8") as meta:
        for p in practices(n, seed):
            path = target / f"{p.slug}.{fmt}"
            text = p.text()
            if fmt == "md":
                text = f"# {p.title}\n" + "".join(f"\n## {k}\n{v}\n" for k, v in p.sections.items())
            path.write_text(text, encoding="utf-8")
            meta.write(json.dumps(p.metadata(path.name), ensure_ascii=False) + "\n")
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of practices")
    parser.add_argument("target", type=Path, help="folder to write (created)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("txt", "md", "jsonl"), default="txt")
    args = parser.parse_args()
    files = write_corpus(args.n, args.target, seed=args.seed, fmt=args.format)
    print(f"wrote {args.n} practices in {len(files)} file(s) under {args.target}")


if __name__ == "__main__":
    main()
