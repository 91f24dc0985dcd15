#!/usr/bin/env python3
"""Regenerate `rules/places.yaml`, the place gazetteer, from maintained data packages.

Sources (installed with `pip install 'datong-nlp[gazetteer]'`):
- mainland divisions (province, prefecture and county level, with adcodes): the
  `adcodes.csv` shipped by the PyPI package `cpca`; English names are the
  pinyin of the short form (the source has no English), via `pypinyin`;
- countries and territories: CLDR through `babel` (simplified `zh`, traditional
  `zh_Hant` and English names);
- Taiwan's counties and cities: ISO 3166-2:TW through `pycountry` (codes, English
  names and kinds), their Chinese names from the table below;
- Hong Kong's 18 districts and Macau's parishes: short official lists, written
  out below (sources named at each table).

Short forms: a division's name without its level word (包头市 -> 包头, 仁寿县 ->
仁寿, 湘西土家族苗族自治州 -> 湘西州 and 湘西).  A short form is dropped when it is
a single character, when it is a common word of jieba's dictionary (see `_common`:
和平区 and 大关县 keep only their full forms, 开封市 too), or when two divisions would
share it (the higher level keeps it).  A county whose full name is a common word
(城区, 郊区) is left out.  Every alias matches on word boundaries only.

Usage: python scripts/build_gazetteer.py [-o rules/places.yaml]
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata as md
import re
from collections.abc import Iterable
from pathlib import Path

COMMON_FREQ = 300
COUNTY_FREQ = 150
RULES = Path(__file__).resolve().parent.parent / "rules"
SOURCES = ("cpca", "babel", "pycountry", "pypinyin", "tzdata")  # packages whose data the file holds
LEVELS = ("province", "prefecture", "county")
# Official English names where pinyin is not the usage.
PROVINCE_EN = {"11": "Beijing", "12": "Tianjin", "31": "Shanghai", "50": "Chongqing", "15": "Inner Mongolia",
               "45": "Guangxi", "54": "Tibet", "64": "Ningxia", "65": "Xinjiang", "61": "Shaanxi"}
# One-character abbreviations (简称) found in lists (京、津、冀) and pairs (粤港两地): the official 简称.
PROVINCE_SHORT = {"11": "京", "12": "津", "31": "沪", "50": "渝", "13": "冀", "14": "晋", "21": "辽", "22": "吉",
                  "23": "黑", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
                  "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "51": "川", "52": "黔", "53": "滇",
                  "61": "陕"}
# (吉 黑 桂 藏 甘 青 宁 新 are left out: as list items they are mostly ordinary words.)
COUNTRY_SHORT = {"CN": "中", "US": "美", "JP": "日", "KR": "韩", "RU": "俄", "IN": "印", "DE": "德", "FR": "法",
                 "GB": "英"}
# Common Chinese names that CLDR does not give (general usage).
COUNTRY_EXTRA = {"CN": ["中华人民共和国"], "KR": ["南韩", "大韩民国"], "KP": ["北韩", "朝鲜民主主义人民共和国"],
                 "US": ["美利坚合众国"], "GB": ["大不列颠及北爱尔兰联合王国"], "AU": ["澳洲"], "RU": ["俄罗斯联邦"],
                 "DE": ["德意志联邦共和国"], "FR": ["法兰西共和国"]}
SKIP_TERRITORIES = {"HK", "MO", "TW", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ"}
# Taiwan: the 22 counties and cities of the Ministry of the Interior (內政部) list, by ISO 3166-2 code.
TAIWAN = {"TPE": "臺北市", "NWT": "新北市", "TAO": "桃園市", "TXG": "臺中市", "TNN": "臺南市", "KHH": "高雄市",
          "KEE": "基隆市", "HSZ": "新竹市", "CYI": "嘉義市", "HSQ": "新竹縣", "MIA": "苗栗縣", "CHA": "彰化縣",
          "NAN": "南投縣", "YUN": "雲林縣", "CYQ": "嘉義縣", "PIF": "屏東縣", "ILA": "宜蘭縣", "HUA": "花蓮縣",
          "TTT": "臺東縣", "PEN": "澎湖縣", "KIN": "金門縣", "LIE": "連江縣"}
# Hong Kong: the 18 districts of the District Councils (www.districtcouncils.gov.hk).  Short forms
# that are generic words (東區, 南區, 北區, 離島) are left out; the full 區 forms stay for the first two.
HONG_KONG = [("central-western", "中西區", "Central and Western", ["中西区"]), ("wan-chai", "灣仔區", "Wan Chai", ["灣仔"]),
             ("eastern", "東區", "Eastern", []), ("southern", "南區", "Southern", []),
             ("yau-tsim-mong", "油尖旺區", "Yau Tsim Mong", ["油尖旺"]), ("sham-shui-po", "深水埗區", "Sham Shui Po", ["深水埗"]),
             ("kowloon-city", "九龍城區", "Kowloon City", ["九龍城"]), ("wong-tai-sin", "黃大仙區", "Wong Tai Sin", ["黃大仙"]),
             ("kwun-tong", "觀塘區", "Kwun Tong", ["觀塘"]), ("kwai-tsing", "葵青區", "Kwai Tsing", ["葵青"]),
             ("tsuen-wan", "荃灣區", "Tsuen Wan", ["荃灣"]), ("tuen-mun", "屯門區", "Tuen Mun", ["屯門"]),
             ("yuen-long", "元朗區", "Yuen Long", ["元朗"]), ("north", "北區", "North", []),
             ("tai-po", "大埔區", "Tai Po", ["大埔"]), ("sha-tin", "沙田區", "Sha Tin", ["沙田"]),
             ("sai-kung", "西貢區", "Sai Kung", ["西貢"]), ("islands", "離島區", "Islands", [])]
HK_AREAS = [("kowloon", "九龍", "Kowloon"), ("new-territories", "新界", "New Territories"),
            ("hong-kong-island", "香港島", "Hong Kong Island"), ("tsing-yi", "青衣", "Tsing Yi"),
            ("tseung-kwan-o", "將軍澳", "Tseung Kwan O"), ("lantau", "大嶼山", "Lantau Island")]
# Macau: the seven parishes (freguesias) of the DSCC/DSEC statistical divisions, and the Taipa/Coloane/Cotai areas.
MACAU = [("fatima", "花地瑪堂區", "Our Lady of Fatima Parish", ["花地瑪堂"]),
         ("st-anthony", "聖安多尼堂區", "St. Anthony Parish", ["花王堂區"]), ("se", "大堂區", "Sé Parish", []),
         ("st-lazarus", "望德堂區", "St. Lazarus Parish", ["望德堂"]),
         ("st-lawrence", "風順堂區", "St. Lawrence Parish", ["風順堂"]),
         ("carmel", "嘉模堂區", "Our Lady of Carmel Parish", ["嘉模堂"]),
         ("st-francis-xavier", "聖方濟各堂區", "St. Francis Xavier Parish", ["聖方濟各堂"]),
         ("taipa", "氹仔", "Taipa", []), ("coloane", "路環", "Coloane", []), ("cotai", "路氹城", "Cotai", ["路氹"])]
LEVEL_WORDS = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
               "地区", "林区", "特区", "新区", "省", "市", "县", "区", "盟", "旗")


def _level(adcode: str) -> str | None:
    if adcode[2:] == "0" * 10:
        return "province"
    if adcode[4:] == "0" * 8:
        return "prefecture"
    if adcode[6:] == "0" * 6:
        return "county"
    return None


def short_forms(name: str, nations: Iterable[str]) -> list[str]:
    """湘西土家族苗族自治州 -> [湘西州, 湘西]; 包头市 -> [包头]; 仁寿县 -> [仁寿]."""
    for word in LEVEL_WORDS:
        if name.endswith(word) and len(name) > len(word):
            stem = name[: -len(word)]
            break
    else:
        return []
    out = []
    if word.startswith("自治") or word.endswith("自治区"):
        bare = stem
        changed = True
        while changed:  # strip the nationality names (土家族苗族 ...) from the end
            changed = False
            for nation in nations:
                if bare.endswith(nation) and len(bare) > len(nation):
                    bare, changed = bare[: -len(nation)], True
        if word == "自治州":
            out.append(bare + "州")
        elif word == "自治县":
            out.append(bare + "县")
        stem = bare
    out.append(stem)
    return [s for s in out if s != name]


def _jieba_words() -> dict[str, tuple[int, str]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                words[parts[0]] = (int(parts[1]), parts[2])
    return words


def _common(word: str, dictionary: dict[str, tuple[int, str]], county: bool = False) -> bool:
    """Whether a short form is a common word of the dictionary: frequency >= COMMON_FREQ and tagged as a
    common noun, verb or adjective (开封 v, 大理 n; 大同 d and 嘉兴 nr stay); for a county (whose short
    forms are the riskiest) frequency >= COUNTY_FREQ whatever the
    tag (大关, 新建), or >= 30 when tagged as neither place nor person."""
    freq, tag = dictionary.get(word, (0, "ns"))
    if county:
        return freq >= COUNTY_FREQ or (freq >= 30 and not tag.startswith(("ns", "nr")))
    return freq >= COMMON_FREQ and tag in ("n", "v", "vn", "a", "an")


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).replace("v", "ü").capitalize()


def mainland(simplify) -> list[dict]:
    import cpca

    res = Path(cpca.__file__).parent / "resources"
    nations = sorted((n.strip() for n in (res / "56_nations.csv").read_text(encoding="utf-8").splitlines() if n.strip()),
                     key=len, reverse=True)
    nations += [n[:-1] for n in nations if n.endswith("族") and len(n) > 2]  # 土家族 and 土家 both occur
    dictionary = _jieba_words()
    rows = []
    with (res / "adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            level = _level(row["adcode"])
            if level and row["adcode"][:2] not in ("71", "81", "82"):
                rows.append((LEVELS.index(level), row["adcode"], row["name"], level))
    rows.sort()
    taken: set[str] = set()
    entries = []
    short_count: dict[str, int] = {}
    for _, _code, name, _ in rows:
        for s in short_forms(name, nations):
            short_count[s] = short_count.get(s, 0) + 1
    for _, code, name, level in rows:
        if name in taken:
            continue  # a county named like another division: the first (higher level, lower code) keeps it
        taken.add(name)
        aliases = [name]
        if level == "county" and _common(name, dictionary):
            continue  # 城区, 郊区, 矿区: a common word, whatever division bears it
        for s in short_forms(name, nations):
            if len(s) < 2 or s in taken or _common(s, dictionary, county=level == "county"):
                continue
            if short_count[s] > 1 and level == "county":
                continue  # 朝阳: shared by several divisions; a county does not get it
            taken.add(s)
            aliases.append(s)
        english = PROVINCE_EN.get(code[:2]) if level == "province" else None
        if english is None:
            english = _pinyin(short_forms(name, nations)[-1] if short_forms(name, nations) else name)
            if level == "county" and name.endswith("县"):
                english += " County"
            elif level == "county" and name.endswith("区"):
                english += " District"
        entry = {"id": f"cn-{code[:6]}", "type": "GPE", "place": "cn", "level": level, "name_en": english,
                 "aliases": aliases}
        if level == "province" and code[:2] in PROVINCE_SHORT:
            entry["short"] = PROVINCE_SHORT[code[:2]]
        entries.append(entry)
    return entries


def countries(simplify) -> list[dict]:
    from babel import Locale

    zh, hant, en = Locale("zh").territories, Locale("zh_Hant").territories, Locale("en").territories
    out = []
    for code in sorted(c for c in zh if re.fullmatch("[A-Z]{2}", c) and c not in SKIP_TERRITORIES):
        names = [zh[code], simplify(hant.get(code, zh[code])), *COUNTRY_EXTRA.get(code, [])]
        names = [re.sub(r"（.*?）", "", n) if "（" in n and code not in ("CD", "CG") else n for n in names]
        entry = {"id": f"country-{code.lower()}", "type": "GPE", "place": code.lower(), "level": "country",
                 "name_en": en.get(code), "aliases": list(dict.fromkeys(names))}
        if code in COUNTRY_SHORT:
            entry["short"] = COUNTRY_SHORT[code]
        out.append(entry)
    return out


def world_cities(simplify) -> list[dict]:
    """Major world cities: CLDR's exemplar cities of the time zones (zh and en), outside China."""
    from babel.dates import get_timezone_location

    out, seen = [], set()
    tab = _zone_tab()
    for zone, country in tab:
        if country in ("CN", "HK", "MO", "TW"):
            continue
        zh = get_timezone_location(zone, locale="zh", return_city=True)
        en = get_timezone_location(zone, locale="en", return_city=True)
        if not zh or zh in seen or not re.fullmatch(r"[\u4e00-\u9fff·]{2,}", zh):
            continue
        seen.add(zh)
        ident = "city-" + re.sub(r"[^a-z0-9]+", "-", zone.split("/")[-1].lower()).strip("-")
        out.append({"id": ident, "type": "GPE", "place": country.lower(), "level": "city", "name_en": en,
                    "aliases": [zh]})
    return out


def _zone_tab() -> list[tuple[str, str]]:
    """(time zone, country code) of every zone of the tz database (as shipped by tzdata or the system)."""
    import importlib.resources

    try:
        text = importlib.resources.files("tzdata").joinpath("zoneinfo/zone1970.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        text = Path("/usr/share/zoneinfo/zone1970.tab").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cols = line.split("\t")
            out.append((cols[2], cols[0].split(",")[0]))  # the zone's main country
    return sorted(set(out))


def taiwan(simplify) -> list[dict]:
    import pycountry

    out = [{"id": "tw", "type": "GPE", "place": "tw", "level": "region", "name_en": "Taiwan", "short": "台",
            "aliases": ["台湾", "台湾地区"]}]
    for sub in sorted(pycountry.subdivisions.get(country_code="TW"), key=lambda s: s.code):
        code = sub.code.split("-")[1]
        name = simplify(TAIWAN[code])
        aliases = [name, name.replace("臺", "台")]
        if name.startswith("台"):
            aliases.append("臺" + name[1:])
        aliases.append(aliases[0][:-1])  # 臺中市 -> 臺中, 屏東縣 -> 屏東: all are place names
        aliases.append(aliases[1][:-1])
        english = sub.name.replace(" Special municipality", "")
        out.append({"id": f"tw-{code.lower()}", "type": "GPE", "place": "tw", "level": sub.type.lower(),
                    "name_en": english, "aliases": list(dict.fromkeys(aliases))})
    return out


def hong_kong_macau(simplify) -> list[dict]:
    out = [{"id": "hk", "type": "GPE", "place": "hk", "level": "region", "name_en": "Hong Kong", "short": "港",
            "aliases": ["香港", "香港特别行政区", "香港特区"]},
           {"id": "mo", "type": "GPE", "place": "mo", "level": "region", "name_en": "Macao", "short": "澳",
            "aliases": ["澳门", "澳门特别行政区", "澳门特区"]}]
    for ident, name, english, more in HONG_KONG:
        out.append({"id": f"hk-{ident}", "type": "GPE", "place": "hk", "level": "district", "name_en": english,
                    "aliases": list(dict.fromkeys(simplify(a) for a in [name, *more]))})
    for ident, name, english in HK_AREAS:
        out.append({"id": f"hk-{ident}", "type": "GPE", "place": "hk", "level": "area", "name_en": english,
                    "aliases": [simplify(name)]})
    for ident, name, english, more in MACAU:
        out.append({"id": f"mo-{ident}", "type": "GPE", "place": "mo", "level": "parish", "name_en": english,
                    "aliases": list(dict.fromkeys(simplify(a) for a in [name, *more]))})
    return out


FIELDS = ("id", "type", "place", "level", "name_en", "short", "aliases")


def row(entry: dict) -> str:
    """One place as a `|`-separated row (see the file header); aliases separated by spaces."""
    cells = [entry["id"], entry["type"], entry["place"], entry["level"], entry.get("name_en") or "",
             entry.get("short", ""), " ".join(entry["aliases"])]
    if any("|" in c for c in cells) or any(" " in a for a in entry["aliases"]):
        raise ValueError(f"{entry['id']}: a cell holds '|' or an alias holds a space")
    return "|".join(cells)


def render(entries: list[dict]) -> str:
    versions = {p: md.version(p) for p in ("cpca", "babel", "pycountry", "pypinyin", "jieba", "opencc", "tzdata")}
    head = [
        "# GENERATED by scripts/build_gazetteer.py -- do not edit by hand; edit the script and rerun it.",
        f"# Sources: cpca {versions['cpca']} (adcodes.csv: mainland provinces, prefectures, counties), "
        f"Babel {versions['babel']} (CLDR country names zh / zh_Hant / en),",
        f"#   pycountry {versions['pycountry']} (ISO 3166-2:TW), Ministry of the Interior list of Taiwan's counties "
        "and cities, HK District Councils (18 districts), Macao parishes;",
        f"#   English of mainland divisions: pinyin (pypinyin {versions['pypinyin']}); short forms checked against "
        f"jieba {versions['jieba']}'s dictionary",
        "#   (a common word keeps only the full form: see the script).",
        f"#   World cities: CLDR exemplar cities of the time zones of zone1970.tab (tzdata {versions['tzdata']}).",
        "# Aliases are simplified (OpenCC t2s); texts are matched after the same conversion.",
        "# One place per row, for a fast load: " + " | ".join(FIELDS) + " (aliases separated by spaces;",
        "# an empty name_en or short is none).",
        "source: {" + ", ".join(f"{p}: '{versions[p]}'" for p in SOURCES) + "}",
        "columns: [" + ", ".join(FIELDS) + "]",
        "places:",
    ]
    return "\n".join(head + [f"  - {row(e)}" for e in entries]) + "\n"


def build() -> list[dict]:
    """Every place entry, in a stable order."""
    import opencc

    converter = opencc.OpenCC("t2s")
    simplify = converter.convert
    entries = hong_kong_macau(simplify) + taiwan(simplify) + countries(simplify) + mainland(simplify)
    entries += world_cities(simplify)
    import yaml

    hand = yaml.safe_load((RULES / "entities.yaml").read_text(encoding="utf-8"))["entities"]
    # an alias of the reviewed hand list (秦淮 = Chindata) is not given to a place as well
    seen: set[str] = {simplify(a) for e in hand for a in e["aliases"]}
    shorts = {simplify(e["short"]) for e in hand if e.get("short")}
    for e in entries:  # an alias belongs to the first entry that has it (regions, then countries, then divisions)
        e["aliases"] = [a for a in dict.fromkeys(e["aliases"]) if a not in seen]
        seen.update(e["aliases"])
        if e.get("short") in shorts:
            e.pop("short")
        shorts.add(e.get("short", ""))
    return [e for e in entries if e["aliases"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=RULES / "places.yaml")
    args = parser.parse_args()
    entries = build()
    args.output.write_text(render(entries), encoding="utf-8")
    print(f"{args.output}: {len(entries)} places, {sum(len(e['aliases']) for e in entries)} aliases")


if __name__ == "__main__":
    main()
