"""Off-topic probe questions: how close the store comes to questions it cannot answer.

The passage embedder's cosines depend on the corpus and on the language pair: a French
report scores lower against an English question than an English statute does, on topic
or not. So the refusal cannot compare a question's best cosine with one fixed number.
After every indexing run that changed the store, these probes (questions no document on
procurement or trafficking answers, in each language) are asked of the store; the mean
and spread of their best cosines, per question language, are kept in the passage
collection's metadata, where every process and every server client finds them. The
assistant reads a question's closeness as a distance above that floor
(``assistant.support``).
"""

from __future__ import annotations

import statistics
from typing import Any

PROBES: dict[str, list[str]] = {
    "en": [
        "How long should I boil an egg for a soft yolk?",
        "Which football club won the most league titles last decade?",
        "What is the best time of year to visit the mountains?",
        "How do I reset the password of my email account?",
        "What causes the northern lights?",
        "Can you recommend a recipe for vegetable soup?",
        "How many moons does Jupiter have?",
        "What is the difference between a violin and a viola?",
        "How do I repair a flat bicycle tyre?",
        "Which painter is famous for water lilies?",
        "What should I pack for a beach holiday?",
        "How does a heat pump warm a house?",
    ],
    "fr": [
        "Combien de temps faut-il cuire un œuf à la coque ?",
        "Quel club de football a gagné le plus de championnats ?",
        "Quelle est la meilleure saison pour partir à la montagne ?",
        "Comment réinitialiser le mot de passe de ma messagerie ?",
        "D'où viennent les aurores boréales ?",
        "Avez-vous une recette de soupe aux légumes ?",
        "Combien de lunes compte Jupiter ?",
        "Quelle différence entre un violon et un alto ?",
        "Comment réparer un pneu de vélo crevé ?",
        "Quel peintre est célèbre pour ses nymphéas ?",
        "Que mettre dans sa valise pour des vacances à la plage ?",
        "Comment une pompe à chaleur chauffe-t-elle une maison ?",
    ],
    "es": [
        "¿Cuánto tiempo hay que hervir un huevo pasado por agua?",
        "¿Qué club de fútbol ganó más ligas en la última década?",
        "¿Cuál es la mejor época para ir a la montaña?",
        "¿Cómo restablezco la contraseña de mi correo?",
        "¿Qué produce las auroras boreales?",
        "¿Me recomienda una receta de sopa de verduras?",
        "¿Cuántas lunas tiene Júpiter?",
        "¿En qué se diferencian un violín y una viola?",
        "¿Cómo se arregla una rueda pinchada de bicicleta?",
        "¿Qué pintor es famoso por sus nenúfares?",
        "¿Qué llevo en la maleta para unas vacaciones de playa?",
        "¿Cómo calienta una casa una bomba de calor?",
    ],
    "ar": [
        "كم دقيقة أحتاج لسلق بيضة؟",
        "أي نادٍ لكرة القدم فاز بأكبر عدد من البطولات؟",
        "ما هو أفضل وقت لزيارة الجبال؟",
        "كيف أعيد تعيين كلمة مرور بريدي الإلكتروني؟",
        "ما سبب ظاهرة الشفق القطبي؟",
        "هل لديك وصفة لحساء الخضار؟",
    ],
    "zh": [
        "煮一个溏心蛋需要多长时间？",
        "哪个足球俱乐部赢得的联赛冠军最多？",
        "什么季节去山区旅游最好？",
        "怎样重置我的邮箱密码？",
        "北极光是怎么形成的？",
        "你能推荐一个蔬菜汤的做法吗？",
    ],
    "ru": [
        "Сколько минут варить яйцо всмятку?",
        "Какой футбольный клуб выиграл больше всего чемпионатов?",
        "Когда лучше всего ехать в горы?",
        "Как сбросить пароль от электронной почты?",
        "Отчего возникает северное сияние?",
        "Подскажите рецепт овощного супа.",
    ],
}
PROBE_VERSION = "1"
METADATA_KEY = "vigilance_probes"


def probe_vectors(embedder: Any) -> Any:
    """The probes' query vectors, in ``PROBES`` order."""
    return embedder.embed_queries([q for lang in PROBES for q in PROBES[lang]])


def probe_floor(store: Any, embedder: Any, vectors: Any = None) -> dict[str, Any]:
    """Mean and spread of the best cosine (passage or sentence) the probes reach, per
    language; ``vectors`` from ``probe_vectors`` when measuring again (not encoded twice)."""
    out: dict[str, Any] = {
        "version": PROBE_VERSION,
        "embedder": embedder.id,
        "passages": store.count(),
    }
    languages = list(PROBES)
    vectors = probe_vectors(embedder) if vectors is None else vectors
    i = 0
    for lang in languages:
        best = []
        for _ in PROBES[lang]:
            hits = store.query(vectors[i], 3, None) + store.query(
                vectors[i], 3, None, sentences=True
            )
            best.append(max((cos for _, cos in hits), default=0.0))
            i += 1
        out[lang] = [round(statistics.fmean(best), 5), round(statistics.pstdev(best) or 0.01, 5)]
    return out
