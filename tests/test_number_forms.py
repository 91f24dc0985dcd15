"""Number forms, one made-up sentence at a time: signs, symbols, currency prefixes, money in
parts, halves, per-mille, discounts, Latin multipliers, spaced numerals, new units, 兆,
per-units; and the place of a text from everything in it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from datong_nlp import Extractor

# family, text, span of the one claim expected (None: no claim at all), value, unit
FORMS = [
    ('latin', '这台冰箱高185cm', '185cm', 185, 'cm'),
    ('latin', '运动员体重72KG', '72KG', 72, 'kg'),
    ('latin', '跑道长400m', '400m', 400, 'm'),
    ('latin', '病人体温39.2°C', '39.2°C', 39.2, '°C'),
    ('latin', '一瓶550ml的矿泉水', '550ml', 550, 'mL'),
    ('latin', '限速60km/h', '60km/h', 60, 'km/h'),
    ('latin', '光伏电站装机20MW', '20MW', 20, 'MW'),
    ('latin', '年发电1.8GWh', '1.8GWh', 1.8, 'GWh'),
    ('latin', '这款手机有256GB存储', '256GB', 256, 'GB'),
    ('latin', '处理器主频2.4GHz', '2.4GHz', 2.4, 'GHz'),
    ('latin', '每份含蛋白质8g', '8g', 8, 'g'),
    ('latin', '他买了iPhone 15', None, None, None),
    ('signs', '上月利润增长-4.1%', '-4.1%', -4.1, '%'),
    ('signs', '出口同比负2.7%', '负2.7%', -2.7, '%'),
    ('signs', '夜里气温降到-12℃', '-12℃', -12, '°C'),
    ('signs', '净流出为-300万元', '-300万元', -3000000, 'CNY'),
    ('signs', '增速从3%-5%之间', '3%-5%', 3, '%'),
    ('signs', '（-0.8%）', '-0.8%', -0.8, '%'),
    ('signs', '湖面海拔负154米', '负154米', -154, 'm'),
    ('signs', '指标变动为+1.2%', '+1.2%', 1.2, '%'),
    ('signs', '新冠COVID-19病例增加30例', '30例', 30, '例'),
    ('signs', '价格区间20-30元', '20-30元', 20, 'CNY'),
    ('signs', '库存变化为－5吨', '－5吨', -5, 't'),
    ('signs', '收益率为负0.35个百分点', '负0.35个百分点', -0.35, 'pp'),
    ('currency', '这件外套标价$89', '$89', 89, 'USD'),
    ('currency', '定价￥1299', '￥1299', 1299, 'CNY'),
    ('currency', '公司融资US$3亿', 'US$3亿', 300000000, 'USD'),
    ('currency', '月薪HK$25,000', 'HK$25,000', 25000, 'HKD'),
    ('currency', '房价NT$1200万', 'NT$1200万', 12000000, 'TWD'),
    ('currency', '门票€35', '€35', 35, 'EUR'),
    ('currency', '拨款人民币6.2亿', '人民币6.2亿', 620000000, 'CNY'),
    ('currency', '一杯咖啡£4', '£4', 4, 'GBP'),
    ('currency', '预算RMB 500万', 'RMB 500万', 5000000, 'CNY'),
    ('currency', '他借了我三千美金', '三千美金', 3000, 'USD'),
    ('currency', '税后收入是42奈拉', '42奈拉', 42, 'NGN'),
    ('currency', '换了200瑞士法郎', '200瑞士法郎', 200, 'CHF'),
    ('parts', '这本书六元五毛', '六元五毛', 6.5, 'CNY'),
    ('parts', '车票12元3角', '12元3角', 12.3, 'CNY'),
    ('parts', '找零3元2角5分', '3元2角5分', 3.25, 'CNY'),
    ('parts', '煎饼卖7块5', '7块5', 7.5, 'CNY'),
    ('parts', '一斤白菜两块三毛钱', '两块三毛', 2.3, 'CNY'),
    ('parts', '邮票一美元又二十美分', '一美元', 1, 'USD'),
    ('parts', '这根冰棍花了我3块', '3块', 3, 'CNY'),
    ('parts', '一瓶水卖两块', '两块', 2, 'CNY'),
    ('parts', '他买菜花了十块零五毛', '十块零五毛', 10.5, 'CNY'),
    ('parts', '地分成三块。', None, None, None),
    ('parts', '价格是5元8角', '5元8角', 5.8, 'CNY'),
    ('halves', '装修用了三个半月', '三个半月', 3.5, 'month'),
    ('halves', '买了五斤半猪肉', '五斤半', 5.5, 'jin'),
    ('halves', '水深一米半', '一米半', 1.5, 'm'),
    ('halves', '还剩半公里', '半公里', 0.5, 'km'),
    ('halves', '他们排了两个半小时', '两个半小时', 2.5, 'hour'),
    ('halves', '买了两吨半水泥', '两吨半', 2.5, 't'),
    ('halves', '约有四成半的人', '四成半', 45, '%'),
    ('halves', '过半公里就到', None, None, None),
    ('halves', '这批半导体', None, None, None),
    ('halves', '带了半斤茶叶', '半斤', 0.5, 'jin'),
    ('halves', '铺了六平方米半', '六平方米半', 6.5, 'm2'),
    ('permille', '死亡率为6.5‰', '6.5‰', 0.65, '%'),
    ('permille', '自然增长率4‰', '4‰', 0.4, '%'),
    ('permille', '千分之三的误差', '千分之三', 0.3, '%'),
    ('permille', '税率调到千分之一', '千分之一', 0.1, '%'),
    ('permille', '印花税为1‰', '1‰', 0.1, '%'),
    ('permille', '出生率10.2‰', '10.2‰', 1.02, '%'),
    ('discounts', '全场商品七折', '七折', 70, '%'),
    ('discounts', '会员享85折', '85折', 85, '%'),
    ('discounts', '机票打九五折', '九五折', 95, '%'),
    ('discounts', '清仓打对折', '对折', 50, '%'),
    ('discounts', '门票6.8折', '6.8折', 68, '%'),
    ('discounts', '按八八折结算', '八八折', 88, '%'),
    ('discounts', '100美元折合人民币', '100美元', 100, 'USD'),
    ('discounts', '设备折旧', None, None, None),
    ('discounts', '两折甩卖', '两折', 20, '%'),
    ('discounts', '打三折', '三折', 30, '%'),
    ('discounts', '把纸对折', None, None, None),
    ('discounts', '优惠价五折', '五折', 50, '%'),
    ('multipliers', '月薪15k元', '15k元', 15000, 'CNY'),
    ('multipliers', '观众达3w人', '3w人', 30000, '人'),
    ('multipliers', '涨了2k个百分点', '2k个百分点', 2000, 'pp'),
    ('multipliers', '灯泡功率5W', '5W', 5, 'W'),
    ('multipliers', '电机20kW', '20kW', 20, 'kW'),
    ('multipliers', '粉丝8W人', '8W人', 80000, '人'),
    ('spaced', '增长了百 分 之 十五', '百 分 之 十五', 15, '%'),
    ('spaced', '下降 三 个 百 分 点', '三 个 百 分 点', 3, 'pp'),
    ('spaced', '提高了二 点 五 个百分点', '二 点 五 个百分点', 2.5, 'pp'),
    ('spaced', '大约 五 成 的人', '五 成', 50, '%'),
    ('spaced', '达到 一 千 二 百 万 元', '一 千 二 百 万 元', 12000000, 'CNY'),
    ('spaced', '百 分之 八十', '百 分之 八十', 80, '%'),
    ('units', '电网频率50赫兹', '50赫兹', 50, 'Hz'),
    ('units', '这份套餐600千卡', '600千卡', 600, 'kcal'),
    ('units', '文件有800千字节', '800千字节', 800, 'kB'),
    ('units', '喝了三两白酒', '三两', 3, 'liang'),
    ('units', '飞机在3万英尺高空', '3万英尺', 30000, 'ft'),
    ('units', '一台65英寸电视', '65英寸', 65, 'in'),
    ('units', '全程26.2英里', '26.2英里', 26.2, 'mi'),
    ('units', '油箱15加仑', '15加仑', 15, 'gal'),
    ('units', '气温100华氏度', '100华氏度', 100, '°F'),
    ('units', '恒生指数收报18000点', '18000点', 18000, '点'),
    ('units', '会议10点开始', None, None, None),
    ('units', '密钥长2048比特', '2048比特', 2048, 'bit'),
    ('zhao', '装机1兆瓦', '1兆瓦', 1, 'MW'),
    ('zhao', '网速100兆比特', '100兆比特', 100, 'Mbit'),
    ('zhao', '国债余额达三兆二千亿元', '三兆二千亿元', 3200000000000.0, 'CNY'),
    ('zhao', '内存512兆字节', '512兆字节', 512, 'MB'),
    ('zhao', '中波频率1兆赫', '1兆赫', 1, 'MHz'),
    ('per', '人均可支配收入4.2万元/人', '4.2万元/人', 42000, 'CNY/人'),
    ('per', '动力煤价格900元/吨', '900元/吨', 900, 'CNY/t'),
    ('per', '股息0.5元/股', '0.5元/股', 0.5, 'CNY/股'),
    ('per', '电价0.6元/千瓦时', '0.6元/千瓦时', 0.6, 'CNY/kWh'),
    ('per', '房租80元/平方米', '80元/平方米', 80, 'CNY/m2'),
    ('per', '补贴300元/亩', '300元/亩', 300, 'CNY/mu'),
    ('permille', '空气中含量约为0.3‰', '0.3‰', 0.03, '%'),
    ('permille', '不良率控制在2‰以内', '2‰', 0.2, '%'),
    ('permille', '万分之五的手续费', '万分之五', 0.05, '%'),
    ('permille', '人口增长率为负1.2‰', '负1.2‰', -0.12, '%'),
    ('permille', '千分之零点五', '千分之零点五', 0.05, '%'),
    ('permille', '佣金为千分之2.5', '千分之2.5', 0.25, '%'),
    ('multipliers', '年薪50w元', '50w元', 500000, 'CNY'),
    ('multipliers', '预算2k美元', '2k美元', 2000, 'USD'),
    ('multipliers', '阅读量10w次', '10w次', 100000, '次'),
    ('multipliers', '跑了5km', '5km', 5, 'km'),
    ('multipliers', '硬盘1TB', '1TB', 1, 'TB'),
    ('multipliers', '参会1.5k人', '1.5k人', 1500, '人'),
    ('spaced', '增长 百 分 之 三 点 五', '百 分 之 三 点 五', 3.5, '%'),
    ('spaced', '有 七 成 的人', '七 成', 70, '%'),
    ('spaced', '全场 八 折', '八 折', 80, '%'),
    ('spaced', '下降了 十 二 个 百分点', '十 二 个 百分点', 12, 'pp'),
    ('spaced', '花了 三 百 元', '三 百 元', 300, 'CNY'),
    ('zhao', '台湾的岁出规模约2兆元', '2兆元', 2000000000000.0, 'TWD'),
    ('zhao', '硬盘读取100兆字节', '100兆字节', 100, 'MB'),
    ('zhao', '功率达到3兆瓦', '3兆瓦', 3, 'MW'),
    ('zhao', '日本的国债超过1000兆日元', '1000兆日元', 1e15, 'JPY'),
    ('zhao', '带宽20兆比特', '20兆比特', 20, 'Mbit'),
    ('zhao', '频率2兆赫兹', '2兆赫兹', 2, 'MHz'),
    ('zhao', '国家预算一兆二千亿日元', '一兆二千亿日元', 1200000000000.0, 'JPY'),
    ('per', '餐费50元/人', '50元/人', 50, 'CNY/人'),
    ('per', '房价3.5万元/平方米', '3.5万元/平方米', 35000, 'CNY/m2'),
    ('per', '月薪8000元/月', '8000元/月', 8000, 'CNY/month'),
    ('per', '门票120港元/人', '120港元/人', 120, 'HKD/人'),
    ('per', '油价7.5元/升', '7.5元/升', 7.5, 'CNY/L'),
    ('per', '运费2美元/公斤', '2美元/公斤', 2, 'USD/kg'),
]


@pytest.mark.parametrize(("family", "text", "span", "value", "unit"), FORMS, ids=[f"{r[0]}:{r[1]}" for r in FORMS])
def test_number_form(extractor: Extractor, family: str, text: str, span: str | None, value: float | None,
                     unit: str | None) -> None:
    claims = extractor.extract_text(text).claims
    if span is None:
        assert claims == [], claims
        return
    hits = [c for c in claims if c.text == span]
    assert len(hits) == 1, claims
    start = text.index(span)
    assert (hits[0].start, hits[0].end, hits[0].unit) == (start, start + len(span), unit)
    assert hits[0].value == pytest.approx(value)


def test_money_parts_leave_minutes_alone(extractor: Extractor) -> None:
    claims = extractor.extract_text("等了10元5分钟").claims
    assert [(c.text, c.value, c.unit) for c in claims] == [("10元", 10, "CNY"), ("5分钟", 5, "minute")]


def test_permille_is_a_tenth_of_a_percent(extractor: Extractor) -> None:
    [claim] = extractor.extract_text("人口自然增长率为3‰").claims
    assert (claim.text, claim.value, claim.unit, claim.kind) == ("3‰", pytest.approx(0.3), "%", "percent")


def test_dash_between_figures_stays_a_range(extractor: Extractor) -> None:
    [claim] = extractor.extract_text("酒精度在5-20%之间").claims
    assert (claim.text, claim.value, claim.value_max) == ("5-20%", 5, 20)


def test_spaced_numeral_offsets_cover_the_text_as_written(extractor: Extractor) -> None:
    text = "利润率提高了 二 点 五 个 百 分 点 。"
    [claim] = extractor.extract_text(text).claims
    assert text[claim.start:claim.end] == claim.text == "二 点 五 个 百 分 点"
    assert (claim.value, claim.unit) == (pytest.approx(2.5), "pp")


def test_traditional_spaced_numeral(extractor: Extractor) -> None:
    [claim] = extractor.extract_text("利潤率提高了 兩 個 百 分 點").claims
    assert (claim.text, claim.value, claim.unit) == ("兩 個 百 分 點", 2, "pp")


def test_latin_symbol_never_inside_a_word_url_or_model(extractor: Extractor) -> None:
    for text in ("他用的是Windows 10 Home版", "请访问 https://example.com/a?x=30%25&y=5m 了解", "型号A320neo", "等了5mins"):
        assert extractor.extract_text(text).claims == [], text


@pytest.mark.parametrize(("locale", "unit"), [(None, "USD"), ("hk", "HKD"), ("tw", "TWD")])
def test_bare_dollar_follows_the_place(locale: str | None, unit: str) -> None:
    doc = Extractor(locale=locale).extract_text("门票售价$120")
    assert [(c.text, c.unit) for c in doc.claims] == [("$120", unit)]


def test_zhao_is_a_trillion_in_taiwan_and_in_money() -> None:
    text = "电厂装机2兆瓦，储存容量2兆字节，频率2兆赫"
    assert [c.value for c in Extractor().extract_text(text).claims] == [2, 2, 2]
    assert Extractor().extract_text("人体约有30兆个细胞").claims[0].value == 30_000_000
    assert Extractor(locale="tw").extract_text("人体约有30兆个细胞").claims[0].value == 30_000_000_000_000
    assert Extractor().extract_text("政府总预算约为2兆元").claims[0].value == 2_000_000_000_000


# Texts of each place that do not name the place itself (own sentences).
PLACES = [
    ("hk", "运输署表示，房屋委员会新屋邨的接驳巴士将于下月开通，本港居民月票为480元。康文署亦会在沙田增设泳池。"),
    ("tw", "行政院会今天通过预算，全台各县市长表示支持，高雄与台中的健保补助为每人500元。"),
    ("mo", "特区政府宣布，本澳居民每人获发5000元，氹仔及路环的新设施下月启用。"),
    ("cn", "国务院常务会议指出，我国今年粮食产量增长2%，全省农民人均收入达到1.5万元。"),
    # a mainland text quoting a Hong Kong figure stays mainland
    ("cn", "我国外贸保持增长，全国进出口总额增长5%。据香港统计处数据，香港同期出口增长3%，港元汇率平稳。"),
]


@pytest.mark.parametrize(("place", "text"), PLACES)
def test_place_of_a_text(extractor: Extractor, place: str, text: str) -> None:
    doc = extractor.extract_text(text)
    assert doc.locale == place
    assert doc.locale_cues is not None and doc.locale_cues["method"] in ("inferred", "default")
    money = {"cn": "CNY", "hk": "HKD", "tw": "TWD", "mo": "MOP"}[place]
    assert all(c.unit == money for c in doc.claims if c.kind == "money" and c.text.endswith("元")
               and "港元" not in c.text)


def test_locale_override_and_cues_in_the_json(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PLACES[0][1], encoding="utf-8")
    for args, place, method in (([], "hk", "inferred"), (["--locale", "cn"], "cn", "override")):
        out = tmp_path / f"out{len(args)}"
        extract = str(Path(sys.executable).with_name("extract"))
        subprocess.run([extract, str(corpus), "-o", str(out), "-q", *args], check=True, capture_output=True)
        data = json.loads((out / "a.json").read_text(encoding="utf-8"))
        assert data["locale"] == place
        assert data["locale_cues"]["method"] == method
        cues = {c["cue"]: (c["locale"], c["count"], c["weight"]) for c in data["locale_cues"]["cues"]}
        assert cues["运输署"] == ("hk", 1, 3.0) and cues["本港"] == ("hk", 1, 3.0)


def test_gazetteer_places_are_cues(extractor: Extractor) -> None:
    """Entries that carry a `place` (the entities gazetteer) weigh for their place."""
    from dataclasses import dataclass, replace

    from datong_nlp.places import PlaceGuesser

    @dataclass(frozen=True)
    class Placed:
        id: str
        aliases: tuple[str, ...]
        place: str | None

    rules = replace(extractor.rules, gazetteer=[Placed("hk-district-x", ("黄大仙区", "黄大仙"), "hk"),
                                                 Placed("cn-city-x", ("大同",), "cn"), Placed("none", ("某地",), None)])
    guesser = PlaceGuesser(rules)  # type: ignore[arg-type]
    text = "黄大仙区的居民表示，黄大仙的新泳池下月开放，区议会和某地亦表支持。"
    choice = guesser.choose(guesser.hits(text))
    assert choice.locale == "hk" and choice.currency == "HKD"
    cues = {c["cue"]: (c["count"], c["source"]) for c in choice.record["cues"]}
    assert cues == {"黄大仙区": (1, "gazetteer:hk-district-x"), "黄大仙": (1, "gazetteer:hk-district-x"),
                    "区议会": (1, "rules")}
    assert guesser.choose(guesser.hits(text), "cn").record["method"] == "override"
