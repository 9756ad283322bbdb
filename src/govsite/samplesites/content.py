"""Chinese official-style text for generated sites: column catalogue, titles, paragraphs, names.

All text here is written for govsite's fixtures (templates filled from a
seeded `random.Random`); none is copied from real sites or the survey
report. Every string must encode in GBK, because GBK sites are generated
from it (the tests encode it strictly).

Not for: deciding where defects go or what the truth says (`generate`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ColumnDef:
    name: str
    update_class: str  # dynamic | notice | regular | static
    section: str  # TRS first path segment
    section_name: str
    slug: str  # TRS second path segment


# Interleaved so that the first N columns of any site mix every class.
CATALOGUE: tuple[ColumnDef, ...] = (
    ColumnDef("政务要闻", "dynamic", "xwzx", "新闻中心", "zwyw"),
    ColumnDef("通知公告", "notice", "zwgk", "政务公开", "tzgg"),
    ColumnDef("部门动态", "dynamic", "xwzx", "新闻中心", "bmdt"),
    ColumnDef("政策文件", "notice", "zwgk", "政务公开", "zcwj"),
    ColumnDef("人事信息", "regular", "zwgk", "政务公开", "rsxx"),
    ColumnDef("机构职能", "static", "zjgk", "走进概况", "jgzn"),
    ColumnDef("基层动态", "dynamic", "xwzx", "新闻中心", "jcdt"),
    ColumnDef("政策解读", "notice", "zwgk", "政务公开", "zcjd"),
    ColumnDef("规划计划", "regular", "zwgk", "政务公开", "ghjh"),
    ColumnDef("领导信息", "static", "zjgk", "走进概况", "ldxx"),
    ColumnDef("图片新闻", "dynamic", "xwzx", "新闻中心", "tpxw"),
    ColumnDef("财政信息", "regular", "zwgk", "政务公开", "czxx"),
    ColumnDef("统计信息", "regular", "zwgk", "政务公开", "tjxx"),
    ColumnDef("公示公告", "notice", "zwgk", "政务公开", "gsgg"),
    ColumnDef("工作动态", "dynamic", "xwzx", "新闻中心", "gzdt"),
    ColumnDef("政府概况", "static", "zjgk", "走进概况", "zfgk"),
    ColumnDef("政府采购", "regular", "zwgk", "政务公开", "zfcg"),
    ColumnDef("媒体关注", "dynamic", "xwzx", "新闻中心", "mtgz"),
    ColumnDef("规范性文件", "notice", "zwgk", "政务公开", "gfxwj"),
    ColumnDef("重大项目", "regular", "zwgk", "政务公开", "zdxm"),
    ColumnDef("今日关注", "dynamic", "xwzx", "新闻中心", "jrgz"),
    ColumnDef("建议提案办理", "regular", "zwgk", "政务公开", "jyta"),
    ColumnDef("历史沿革", "static", "zjgk", "走进概况", "lsyg"),
    ColumnDef("审计信息", "regular", "zwgk", "政务公开", "sjxx"),
    ColumnDef("民生关注", "dynamic", "xwzx", "新闻中心", "msgz"),
    ColumnDef("征求意见", "notice", "hdjl", "互动交流", "zqyj"),
    ColumnDef("应急管理", "regular", "zwgk", "政务公开", "yjgl"),
    ColumnDef("区划人口", "static", "zjgk", "走进概况", "qhrk"),
    ColumnDef("招商动态", "dynamic", "xwzx", "新闻中心", "zsdt"),
    ColumnDef("价格收费", "regular", "zwgk", "政务公开", "jgsf"),
    ColumnDef("环境保护", "regular", "zwgk", "政务公开", "hjbh"),
    ColumnDef("联系我们", "static", "zjgk", "走进概况", "lxwm"),
    ColumnDef("文明创建", "dynamic", "xwzx", "新闻中心", "wmcj"),
    ColumnDef("政府公报", "regular", "zwgk", "政务公开", "zfgb"),
    ColumnDef("安全生产", "regular", "zwgk", "政务公开", "aqsc"),
    ColumnDef("自然地理", "static", "zjgk", "走进概况", "zrdl"),
    ColumnDef("乡村振兴", "dynamic", "xwzx", "新闻中心", "xczx"),
    ColumnDef("社会救助", "regular", "zwgk", "政务公开", "shjz"),
    ColumnDef("教育信息", "regular", "zwgk", "政务公开", "jyxx"),
    ColumnDef("医疗卫生", "regular", "zwgk", "政务公开", "ylws"),
    ColumnDef("营商环境", "dynamic", "xwzx", "新闻中心", "yshj"),
    ColumnDef("行政执法", "regular", "zwgk", "政务公开", "xzzf"),
    ColumnDef("组织机构", "static", "zjgk", "走进概况", "zzjg"),
    ColumnDef("招考录用", "notice", "zwgk", "政务公开", "zkly"),
)

TOPICS = (
    "优化营商环境",
    "安全生产",
    "防汛防台",
    "乡村振兴",
    "城市更新",
    "数字化改革",
    "生态环境保护",
    "民生实事项目",
    "招商引资",
    "文明城市创建",
    "基层治理",
    "就业创业",
    "养老服务体系建设",
    "农村人居环境整治",
    "政务服务“一网通办”",
    "老旧小区改造",
    "森林防火",
    "食品安全",
    "消防安全",
    "义务教育优质均衡发展",
    "医疗卫生服务能力提升",
    "科技创新",
    "制造业高质量发展",
    "耕地保护",
    "河湖长制",
    "垃圾分类",
)

PLACES = (
    "东城街道",
    "西湖镇",
    "南山乡",
    "北塘街道",
    "青石镇",
    "临江街道",
    "高新区",
    "经济开发区",
    "白沙镇",
    "桃源乡",
    "梅岭街道",
    "双溪镇",
)

DEPARTMENTS = (
    "发展和改革局",
    "财政局",
    "教育局",
    "卫生健康局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "应急管理局",
    "民政局",
    "自然资源和规划局",
    "文化和广电旅游体育局",
    "统计局",
    "审计局",
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲飞鹏辉宇浩晨阳琳雪梅婷欣怡子涵俊杰文博"
# Characters in GBK but outside GB2312: a page declaring gb2312 must be decoded as GBK to show them.
OUTSIDE_GB2312 = "喆镕堃珺昇"

DYNAMIC_TITLES = (
    "{lvl}政府常务会议研究部署{topic}等工作",
    "{lvl}{dept}召开{topic}工作推进会",
    "{lvl}领导赴{place}调研{topic}工作",
    "{lvl}{dept}开展{topic}专项检查",
    "我{lvl}{topic}工作取得阶段性成效",
    "{place}扎实推进{topic}",
    "{lvl}{dept}举办{topic}业务培训班",
    "全{lvl}{topic}现场会在{place}召开",
    "{place}多措并举抓好{topic}",
    "{lvl}{dept}部署{topic}重点任务",
    "{lvl}召开{topic}工作领导小组会议",
    "{place}：以{topic}为抓手推动高质量发展",
)
NOTICE_TITLES = (
    "关于印发《{sn}{lvl}{topic}实施方案》的通知",
    "关于做好{year}年{topic}有关工作的通知",
    "关于公布{year}年度{topic}示范单位名单的公告",
    "{sn}{lvl}人民政府办公室关于进一步加强{topic}工作的意见",
    "《关于推进{topic}的若干措施》政策解读",
    "关于征求《{sn}{lvl}{topic}管理办法（征求意见稿）》意见的公告",
    "关于开展{year}年{topic}专项行动的通知",
    "{lvl}{dept}关于{topic}有关事项的公告",
)
REGULAR_TITLES = (
    "{year}年{lvl}{dept}部门预算公开",
    "{year}年{lvl}{dept}部门决算公开",
    "{sn}{lvl}{topic}“十四五”规划中期评估报告",
    "{year}年{month}月全{lvl}经济运行情况",
    "{lvl}{dept}{year}年工作总结和下一年度工作思路",
    "{year}年{lvl}{dept}公开招聘工作人员公告",
    "{lvl}{dept}{year}年度{topic}项目采购结果公告",
    "关于{lvl}{topic}重点项目建设进展情况的报告",
    "{year}年度{lvl}{dept}政府信息公开工作年度报告",
)
STATIC_TITLES = (
    "{lvl}政府领导工作分工",
    "{lvl}{dept}主要职责",
    "{lvl}{dept}内设机构",
    "{sn}概况",
    "{lvl}政府工作部门设置",
    "{sn}历史沿革",
    "{lvl}{dept}联系方式",
    "{sn}行政区划",
)
TITLES_BY_CLASS = {
    "dynamic": DYNAMIC_TITLES,
    "notice": NOTICE_TITLES,
    "regular": REGULAR_TITLES,
    "static": STATIC_TITLES,
}

PARAGRAPHS = (
    "为深入贯彻落实上级决策部署，进一步推动{topic}工作落地见效，{date}，{lvl}{dept}组织召开专题会议，"
    "听取各相关单位工作进展汇报，研究部署下一阶段重点任务。",
    "会议指出，{topic}事关群众切身利益，事关全{lvl}发展大局。各地各部门要进一步提高政治站位，"
    "压紧压实工作责任，坚持问题导向，确保各项任务按期完成。",
    "会议强调，要聚焦重点领域和关键环节，细化工作举措，加强部门协同，形成工作合力；"
    "要强化督查考核，对工作推进不力的单位及时督促整改。",
    "今年以来，{place}围绕{topic}目标任务，创新工作方法，完善工作机制，累计完成重点项目{num}个，群众满意度持续提升。",
    "下一步，{lvl}{dept}将继续以{topic}为重点，持续深化改革创新，着力破解难点堵点问题，"
    "为全{lvl}经济社会高质量发展提供有力保障。",
    "各有关单位要认真对照文件要求，结合本地本部门实际，抓好贯彻落实。执行中遇到的问题，请及时向{lvl}{dept}反映。",
    "本次检查采取“四不两直”方式，共检查企业和单位{num}家，发现并督促整改问题隐患{num2}处。",
    "现将有关事项公告如下：申请人应当如实提交有关材料，对申请材料的真实性负责。",
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def title(rng: random.Random, update_class: str, *, lvl: str, sn: str, published: date) -> str:
    """A title for an article published on `published`; years and months in it never lie ahead of it."""
    template = rng.choice(TITLES_BY_CLASS[update_class])
    last_month = published.replace(day=1) - timedelta(days=1)
    year = last_month.year if "{month}" in template else published.year
    return template.format(
        lvl=lvl,
        sn=sn,
        year=year,
        month=last_month.month,
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        dept=rng.choice(DEPARTMENTS),
    )


def paragraphs(rng: random.Random, *, lvl: str, date_text: str, count: int = 3) -> list[str]:
    topic = rng.choice(TOPICS)
    chosen = rng.sample(PARAGRAPHS, k=min(count, len(PARAGRAPHS)))
    return [
        p.format(
            topic=topic,
            lvl=lvl,
            dept=rng.choice(DEPARTMENTS),
            place=rng.choice(PLACES),
            date=date_text,
            num=rng.randint(12, 98),
            num2=rng.randint(3, 60),
        )
        for p in chosen
    ]


def department(rng: random.Random) -> str:
    return rng.choice(DEPARTMENTS)


def rng_topic(rng: random.Random) -> str:
    return rng.choice(TOPICS)
