"""Near-duplicates: re-posts with small edits are found, other reports are not."""

from __future__ import annotations

from marsad.cluster.neardup import NearDuplicateIndex, jaccard, shingles, signature

ORIGINAL = (
    "استقبل وزير الداخلية صباح اليوم بمقر الوزارة نظيره الضيف الذي يقوم بزيارة عمل تستمر يومين، "
    "وبحث الجانبان سبل تطوير التعاون في مجال مكافحة الجريمة المنظمة وتبادل الخبرات والمعلومات. "
    "وأكد الوزيران أهمية تعزيز التنسيق الأمني المشترك لمواجهة التحديات المتزايدة في المنطقة، "
    "كما اتفقا على عقد اجتماع للجنة الأمنية المشتركة قبل نهاية السنة الجارية في العاصمة. "
    "وحضر اللقاء عدد من كبار المسؤولين في الوزارتين إضافة إلى سفير البلد الضيف المعتمد."
)
REPOST = (
    "عاجل | استقبل وزير الداخلية صباح اليوم بمقر الوزارة نظيره الضيف الذي يقوم بزيارة عمل تستمر يومين، "
    "وبحث الجانبان سبل تطوير التعاون في مجال مكافحة الجريمة المنظمة وتبادل الخبرات والمعلومات. "
    "وأكد الوزيران أهمية تعزيز التنسيق الأمني المشترك لمواجهة التحديات المتزايدة بالمنطقة، "
    "كما اتفقا على عقد اجتماع للجنة الأمنية المشتركة قبل نهاية السنة الجارية في العاصمة."
)
OTHER = (
    "أجرى المدير العام للشرطة مباحثات مع وفد أمني زائر تناولت التدريب وتأمين التظاهرات الرياضية الكبرى، "
    "وقدم الوفد عرضا حول تجربة بلاده في مراقبة الحدود البحرية ومكافحة الهجرة غير النظامية. "
    "واتفق الطرفان على تبادل الزيارات بين المعاهد الشرطية وتنظيم دورات تكوينية مشتركة."
)


def test_shingles_ignore_spelling_variants() -> None:
    assert shingles("أكد الوزير أهمية التعاون", 2) == shingles("اكد الوزير اهميه التعاون", 2)


def test_a_repost_is_a_near_duplicate_and_another_text_is_not() -> None:
    a, b, c = (signature(t, 5, 128) for t in (ORIGINAL, REPOST, OTHER))
    assert jaccard(a, b) >= 0.5
    assert jaccard(a, c) < 0.1
    index = NearDuplicateIndex(0.4, 128)
    assert index.add("a", a) == []
    found = index.add("b", b)
    assert [(p.a, p.b) for p in found] == [("a", "b")]
    assert index.add("c", c) == []


def test_signatures_are_deterministic() -> None:
    assert (signature(ORIGINAL, 5, 64) == signature(ORIGINAL, 5, 64)).all()
