"""Clinical words for the contract's answers, for a reader who examines feet for a living.

The runner-facing labels live in knowledge/data/questions.yaml; these are the same values
as a podiatrist or physiotherapist would write them in a referral letter.
"""

from __future__ import annotations

from stridewell.contract import BonePoint, Quality, Region, Side, Surface, Timing, Trend
from stridewell.levels import Level

SITE = {
    Region.heel_bottom: "plantar medial heel",
    Region.heel_pad: "central plantar heel pad",
    Region.heel_back: "posterior heel at the Achilles insertion",
    Region.achilles: "Achilles mid-portion (2-6 cm above the insertion)",
    Region.arch: "medial longitudinal arch",
    Region.inner_midfoot: "medial midfoot (navicular)",
    Region.inner_ankle: "posteromedial ankle, behind the medial malleolus",
    Region.outer_ankle: "posterolateral ankle, behind the lateral malleolus",
    Region.outer_midfoot: "lateral midfoot (5th metatarsal base, cuboid)",
    Region.top_of_foot: "dorsum of the foot",
    Region.ball_of_foot: "plantar forefoot under the 2nd-4th metatarsal heads",
    Region.big_toe_ball: "plantar 1st MTP joint (sesamoids)",
    Region.big_toe_joint: "1st MTP joint",
    Region.between_toes: "intermetatarsal web space (usually 3rd/4th)",
    Region.toes: "toes",
}

SIDE = {Side.left: "left", Side.right: "right", Side.both: "bilateral"}

TIMING = {
    Timing.first_steps_morning: "first-step pain on rising",
    Timing.after_rest: "post-static dyskinesia (pain on standing after sitting)",
    Timing.during_run: "during running",
    Timing.after_run: "after running",
    Timing.eases_with_warmup: "eases once warmed up",
    Timing.worsens_with_activity: "builds with time on feet",
    Timing.at_rest: "at rest",
    Timing.at_night: "at night / waking from sleep",
    Timing.with_tight_shoes: "with tight footwear or lacing",
    Timing.barefoot_hard_floor: "barefoot on hard floors",
    Timing.weight_bearing: "on any weight bearing",
    Timing.uphill_or_toe_off: "uphill or at toe-off",
}

QUALITY = {
    Quality.sharp: "sharp",
    Quality.dull_ache: "dull ache",
    Quality.burning: "burning",
    Quality.throbbing: "throbbing",
    Quality.stabbing: "stabbing",
    Quality.pinpoint: "pinpoint (well localised)",
    Quality.shooting: "shooting",
    Quality.stiffness: "stiffness",
}

COURSE = {
    Trend.improving: "improving",
    Trend.unchanged: "unchanged",
    Trend.worsening: "worsening",
}

BONE_POINT = {
    BonePoint.navicular: "navicular",
    BonePoint.fifth_metatarsal_base: "base of the 5th metatarsal",
    BonePoint.metatarsal_shaft: "metatarsal shaft",
    BonePoint.calcaneus: "calcaneus",
    BonePoint.medial_malleolus: "posterior edge / tip of the medial malleolus",
    BonePoint.lateral_malleolus: "posterior edge / tip of the lateral malleolus",
    BonePoint.sesamoid: "sesamoid",
    BonePoint.tarsometatarsal: "2nd tarsometatarsal joint (Lisfranc)",
}

# The runner's own self-tests, as the tests a clinician knows them by.
SELF_TESTS = {
    "hop_test_painful": "Single-leg hop test",
    "heel_squeeze_painful": "Calcaneal squeeze test",
    "forefoot_squeeze_click": "Forefoot (Mulder-type) squeeze",
    "push_off_weak": "Single-leg heel rise / push-off",
    "can_bear_weight": "Four steps unaided (Ottawa)",
    "relief_removing_shoe": "Relief on removing the shoe",
    "tendon_thickening": "Palpable tendon thickening",
}
# For these, a "yes" answer is the reassuring one.
SELF_TEST_YES_IS_NORMAL = frozenset({"can_bear_weight"})

ASSOCIATED = {
    "numbness_tingling": "paraesthesia (numbness, tingling or burning skin)",
    "bruising": "bruising",
    "plantar_bruising": "plantar midfoot bruising",
    "redness_warmth": "erythema and warmth",
    "fever_or_unwell": "fever or systemic upset",
    "open_wound": "wound, blister or nail-fold break near the pain",
    "deformity": "visible deformity",
    "foot_cold_pale": "cold, pale or cyanosed foot",
    "calf_pain_swelling": "calf pain or swelling",
    "sciatica_symptoms": "back pain radiating to the foot, or leg weakness",
    "saddle_or_bladder_symptoms": "saddle numbness or new bladder/bowel change",
    "penetrating_injury": "penetrating injury through the sole or skin",
}

BACKGROUND = {
    "diabetes": "diabetes",
    "previous_episode": "previous episode of the same pain",
    "steroid_injection": "local corticosteroid injection in the last 3 months",
    "recent_travel_or_immobility": "travel of 4 h or more, bed rest, surgery or a cast in 4 weeks",
}
HISTORY_BACKGROUND = {
    "previous_stress_fracture": "previous stress fracture",
    "low_energy_risk": "signs of low energy availability (RED-S risk)",
    "calf_tightness": "tight calves",
    "overpronation": "told the foot overpronates",
    "tight_laces": "tight lacing / dorsal shoe pressure",
    "new_shoes": "new or different shoes in recent weeks",
    "recent_treadmill": "more treadmill running than usual",
}

SURFACE = {
    Surface.road: "road",
    Surface.trail: "trail",
    Surface.treadmill: "treadmill",
    Surface.track: "track",
    Surface.mixed: "mixed",
}

LEVEL_WORDS = {
    Level.emergency: "Emergency: same-day emergency care advised",
    Level.urgent: "Urgent: to be seen within 1-2 days; running stopped",
    Level.soon: "Soon: clinician review within about 2 weeks; running reduced",
    Level.self_care: "Self-care: managed at home with the recovery plan",
}
