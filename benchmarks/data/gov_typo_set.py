"""Writes gov_typo_set.tsv: 300 official-style sentences, half with one injected typo (seeded).

The sentences are filled from templates written for govsite (none is copied from a real site, the
survey report or another data set): 75 each in the styles of a 通知, a 公告, 工作动态 and 政策解读,
with fictional places, departments, person names, document numbers, dates, amounts, 《titles》 and
“quotes”, because those are what trip a typo checker on government pages.

Every other sentence (seeded) gets one character replaced: a random Chinese character that is not a
function character (typos.FUNCTION_CHARS), replaced by a random member of its confusion set
(typos.confusions: same pinyin, same-sound other tone, similar shape — the sets the layer itself
uses, so recall is measured against errors it could in principle fix; precision does not depend on
that). Positions inside person names and 《titles》 are allowed: real typos happen there too.

    .venv/bin/python benchmarks/data/gov_typo_set.py     # rewrites gov_typo_set.tsv (same seed, same file)

Columns: id, style, has_error (0/1), sentence as written, correct sentence.
"""

from __future__ import annotations

import random
from pathlib import Path

from govsite.text import typos

SEED = 20251130
PER_STYLE = 75
OUT = Path(__file__).with_name("gov_typo_set.tsv")

CITIES = ("安澜市", "青禾市", "云川县", "石桥区", "临川市", "梧桐县", "松阳市", "江宁区", "白鹭县", "清溪市")
TOWNS = ("东坪镇", "柳岸街道", "大石乡", "凤鸣街道", "河口镇", "新桥镇", "枫林乡", "城南街道", "望江镇", "龙泉街道")
DEPTS = (
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "行政审批服务局",
    "大数据发展管理局",
)
TOPICS = (
    "安全生产",
    "优化营商环境",
    "乡村振兴",
    "防汛防台风",
    "森林防火",
    "全国文明城市创建",
    "生活垃圾分类",
    "食品安全",
    "民生实事",
    "招商引资",
    "城乡环境综合整治",
    "耕地保护",
    "河长制",
    "基层社会治理",
    "数字政府建设",
    "义务教育均衡发展",
    "居家养老服务",
    "稳就业保民生",
    "消防安全",
    "城镇燃气安全",
    "农村人居环境整治",
    "老旧小区改造",
    "大气污染防治",
    "高标准农田建设",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程魏苏吕丁沈姚卢钟汪"
GIVEN = (
    "建国",
    "晓峰",
    "丽华",
    "志强",
    "海涛",
    "春燕",
    "文博",
    "玉兰",
    "国庆",
    "红梅",
    "振华",
    "明辉",
    "静怡",
    "德明",
    "秀英",
    "卫东",
    "新民",
    "金凤",
    "永刚",
    "立军",
    "磊",
    "娜",
    "勇",
    "静",
    "帆",
    "斌",
    "婷",
    "鹏",
)
TITLES = ("市长", "副市长", "县长", "副县长", "区长", "副区长", "局长", "副局长", "主任", "党组书记", "秘书长")
UNITS = ("乡镇（街道）", "县直有关单位", "区直部门", "市级有关部门", "重点企业", "行业主管部门")
LAWS = (
    "中华人民共和国政府信息公开条例",
    "事业单位公开招聘人员暂行规定",
    "中华人民共和国安全生产法",
    "中华人民共和国土地管理法",
    "优化营商环境条例",
    "中华人民共和国预算法",
    "社会救助暂行办法",
)
FACILITIES = ("村级综合服务中心", "新时代文明实践站", "农村文化礼堂", "社区养老服务站", "便民服务点", "公共充电桩")
APPS = ("浙里办", "皖事通", "粤省事", "随申办", "苏服办", "闽政通")

STYLES: dict[str, tuple[str, ...]] = {
    "通知": (
        "为进一步做好{topic}工作，现将有关事项通知如下。",
        "各{unit}要高度重视，认真组织实施，并于{date}前将工作总结报送{city}{dept}。",
        "请各单位按照《{city}{topic}实施方案》要求，结合实际抓好贯彻落实。",
        "{city}人民政府办公室关于印发{city}{topic}三年行动方案的通知（{docno}）",
        "本通知自印发之日起施行，有效期{n}年，此前规定与本通知不一致的，以本通知为准。",
        "对工作不力、造成严重后果的，将依规依纪依法严肃追究相关人员责任。",
        "各{unit}主要负责同志是第一责任人，分管负责同志是直接责任人。",
        "请于{date}前登录系统填报相关数据，联系人：{name}，联系电话：{phone}。",
        "现将《{city}{year}年{topic}工作要点》印发给你们，请认真贯彻执行。",
        "各地要加强统筹协调，强化要素保障，确保{topic}各项目标任务按期完成。",
        "经{city}人民政府同意，决定在全{level}范围内开展{topic}专项行动。",
        "各{unit}要建立工作台账，实行清单化管理，每月{day}日前报送工作进展。",
        "请各单位严格落实值班值守制度，遇有重大突发事件及时报告。",
        "{dept}负责牵头组织实施，其他有关部门按照职责分工做好相关工作。",
        "专项行动分为动员部署、集中整治、总结提升三个阶段，时间为{date}至{date2}。",
        "各{unit}要加强宣传引导，营造全社会共同参与{topic}的良好氛围。",
        "本次培训采取线上线下相结合的方式进行，请参训人员提前{n}天报到。",
        "具体事项由{city}{dept}负责解释。",
    ),
    "公告": (
        "根据《{law}》有关规定，现将{city}{year}年度{topic}示范单位名单予以公示。",
        "公示时间为{date}至{date2}，共{n}个工作日。",
        "公示期间，如有异议，请以书面形式向{city}{dept}反映，并署真实姓名和联系方式。",
        "{city}{dept}所属事业单位{year}年公开招聘工作人员{num}名，现将有关事项公告如下。",
        "报名时间为{date}至{date2}，逾期不再受理。",
        "经资格审查、笔试、面试、体检和考察，拟聘用{name}等{num}名同志为{dept}工作人员。",
        "本次出让地块位于{city}{town}，出让面积{area}平方米，起始价{money}万元。",
        "竞买人应当在规定时间内缴纳竞买保证金，并按要求提交书面申请。",
        "因道路改造施工需要，{date}起{town}部分路段实行交通管制，请过往车辆提前绕行。",
        "{city}{dept}{year}年度行政事业性收费项目目录已经审核确认，现予以公告。",
        "对公示内容有异议的，可在公示期内来电来访反映，电话：{phone}。",
        "以上人员如有违法违纪行为，欢迎社会各界监督举报。",
        "本次招聘坚持公开、平等、竞争、择优的原则，全程接受纪检监察部门监督。",
        "经研究，决定注销以下{num}家企业的食品经营许可证，特此公告。",
        "自{date}起，{city}政务服务中心办公时间调整为工作日上午九时至下午五时。",
        "{city}{dept}关于{year}年第{n}批{topic}补助资金的公示",
        "申请人对评审结果有异议的，可自公告之日起{n}个工作日内提出复核申请。",
        "特此公告。{city}{dept} {date}",
    ),
    "工作动态": (
        "{date}，{city}{dept}召开{topic}工作推进会，{title}{name}出席会议并讲话。",
        "{title}{name}带队深入{town}调研{topic}工作，实地查看项目建设进展情况。",
        "会议指出，要坚持问题导向，聚焦{topic}中的突出问题，逐项明确责任单位和完成时限。",
        "今年以来，{city}累计实施{topic}项目{num}个，完成投资{money}亿元，同比增长{pct}。",
        "{city}{dept}组织开展{topic}专项检查，共检查企业{num}家，督促整改问题隐患{num2}处。",
        "活动现场，工作人员向群众发放宣传资料{num}余份，解答政策咨询{num2}人次。",
        "{name}强调，各级各部门要提高政治站位，压紧压实责任，确保{topic}各项任务落到实处。",
        "据了解，{town}已建成{facility}{num}个，基本实现行政村全覆盖。",
        "下一步，{dept}将持续深化{topic}，不断提升群众的获得感、幸福感、安全感。",
        "{date}，{city}召开{year}年{topic}工作会议，总结去年工作，部署今年重点任务。",
        "调研中，{name}详细询问了企业生产经营情况，帮助协调解决实际困难。",
        "{town}党委书记{name}介绍了当地发展特色产业、带动群众增收的做法。",
        "此次演练模拟{town}突发险情，检验了多部门协同处置和应急救援能力。",
        "{city}{dept}联合公安、消防等部门开展夜查行动，出动执法人员{num}人次。",
        "截至{month}月底，全{level}城镇新增就业{num}人，城镇登记失业率控制在{pct}以内。",
        "座谈会上，企业代表围绕融资、用地、用工等方面提出意见建议。",
        "{title}{name}主持会议，{city}有关部门负责同志参加会议。",
        "{city}第{n}期{topic}业务培训班开班，{num}名基层干部参加培训。",
    ),
    "政策解读": (
        "《{city}{topic}若干措施》从{n}个方面提出{num}条具体举措。",
        "问：该政策的适用对象有哪些？答：在{city}依法注册登记、依法纳税的中小微企业均可申报。",
        "符合条件的企业，按实际投资额的{pct}给予一次性补助，最高不超过{money}万元。",
        "政策的出台，旨在降低企业经营成本，进一步激发市场主体活力。",
        "申请人可通过{city}政务服务网或“{app}”移动端在线提交申请材料。",
        "对首次认定为国家级高新技术企业的，给予{money}万元奖励。",
        "新政策实施后，参保人员门诊费用报销比例由{pct}提高到{pct2}。",
        "起草过程中，{dept}广泛征求了有关部门、企业和社会公众的意见。",
        "《办法》共{n}章{num}条，主要包括总则、职责分工、监督管理和法律责任等内容。",
        "享受补贴的人员须在{city}缴纳社会保险满{n}个月，且未享受过同类补贴。",
        "同一项目不得重复享受本措施和其他同类扶持政策。",
        "一是明确了适用范围，二是细化了申报条件，三是简化了审批流程。",
        "《若干措施》自{date}起施行，有效期至{date2}。",
        "对在{city}新设立的总部企业，按其对地方经济贡献给予分档奖励。",
        "资金实行“先建后补”，项目验收合格后一次性拨付到位。",
        "为切实减轻群众负担，此次调整取消了{n}项证明材料，办理时限压缩至{n2}个工作日。",
        "申报材料包括申请表、营业执照复印件、项目投资凭证等。",
        "如对政策有疑问，可拨打{city}{dept}政策咨询电话{phone}。",
    ),
}


def fill(template: str, rng: random.Random) -> str:
    year = rng.randint(2021, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    city = rng.choice(CITIES)
    values = {
        "city": city,
        "town": rng.choice(TOWNS),
        "dept": rng.choice(DEPTS),
        "topic": rng.choice(TOPICS),
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "title": rng.choice(TITLES),
        "unit": rng.choice(UNITS),
        "law": rng.choice(LAWS),
        "facility": rng.choice(FACILITIES),
        "app": rng.choice(APPS),
        "level": rng.choice("市县区"),
        "year": year,
        "month": month,
        "day": day,
        "date": f"{year}年{month}月{day}日",
        "date2": f"{year}年{month}月{min(28, day + rng.randint(5, 20))}日" if day < 28 else f"{year}年{month}月28日",
        "docno": f"{city[0]}政{rng.choice(('办发', '发', '办函'))}〔{year}〕{rng.randint(1, 160)}号",
        "phone": f"0{rng.randint(510, 799)}-{rng.randint(8000000, 8999999)}",
        "n": rng.randint(2, 9),
        "n2": rng.randint(2, 9),
        "num": rng.randint(12, 980),
        "num2": rng.randint(12, 980),
        "money": rng.choice(("50", "100", "200", "12.6", "3.8", "500", "1.2")),
        "area": rng.randint(3000, 90000),
        "pct": f"{rng.randint(3, 60)}%",
        "pct2": f"{rng.randint(61, 90)}%",
    }
    return template.format(**values)


def inject(sentence: str, rng: random.Random) -> str | None:
    positions = [i for i, c in enumerate(sentence) if typos.CJK.match(c) and c not in typos.FUNCTION_CHARS]
    rng.shuffle(positions)
    for i in positions:
        cands = sorted(typos.confusions(sentence[i]))
        if cands:
            return sentence[:i] + rng.choice(cands) + sentence[i + 1 :]
    return None


def build(seed: int = SEED) -> list[tuple[str, str, int, str, str]]:
    rng = random.Random(seed)
    rows = []
    n = 0
    for style, templates in STYLES.items():
        seen: set[str] = set()
        attempt = 0
        while len(seen) < PER_STYLE:
            sentence = fill(templates[attempt % len(templates)], rng)
            attempt += 1
            if sentence in seen:
                continue
            seen.add(sentence)
            n += 1
            wrong = inject(sentence, rng) if n % 2 == 0 else None
            if wrong:
                rows.append((f"g{n:03d}", style, 1, wrong, sentence))
            else:
                rows.append((f"g{n:03d}", style, 0, sentence, sentence))
    return rows


def main() -> None:
    rows = build()
    lines = [
        "# govsite government-style typo set: written from templates (benchmarks/data/gov_typo_set.py), seed "
        f"{SEED}; one injected confusion-set typo in every other sentence.",
        "# id\tstyle\thas_error\tsentence\tcorrect",
    ]
    lines += ["\t".join(str(v) for v in row) for row in rows]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} sentences, {sum(r[2] for r in rows)} with a typo")


if __name__ == "__main__":
    main()
