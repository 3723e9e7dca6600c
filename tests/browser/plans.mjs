// How a respondent fills each example survey: pages in order, and what they do on each.
// Actions: ["radio", name, value], ["check", name, value] (checkbox), ["text", name, value],
// ["select", name, value]. With JavaScript on, conditional questions only appear once the
// answers they depend on are given, so actions are listed in the order a person would act.
// `runningTotal`: what a constant sum's running total says once the page is filled (with
// JavaScript on; off, there is none).

const rows = (q, names, value) => names.map((r) => ["radio", `${q}.${r}`, value]);

export const plans = [
  {
    survey: "seminar-mas-2024",
    firstHeading: "O vás a vaší MAS",
    // With JavaScript on, "Uveďte prosím svou roli" appears only for the "other" role.
    conditional: { hiddenAtStart: "#q-role_other", revealedBy: ["radio", "role", "other"] },
    pages: [
      { id: "about", do: [["radio", "role", "other"], ["text", "role_other", "Starostka obce"], ["select", "region", "vysocina"], ["radio", "mas_project", "running"]] },
      {
        id: "programme",
        do: [
          ...rows("blocks", ["competences", "good_practice", "panel"], "4"),
          ["radio", "usefulness", "9"],
          ["radio", "workshop_attended", "1"],
          ["radio", "workshop_inspiring", "4"],
          ["text", "workshop_comment", "Více času na diskusi v krajských skupinách."],
        ],
      },
      { id: "mas_social_work", do: [["check", "project_forms", "shared_sw"], ["radio", "orp_cooperation", "working"]] },
      { id: "needs", do: [["check", "support_needs", "methodical"], ["check", "support_needs", "good_practice"], ["text", "call_suggestions", "Delší udržitelnost projektů."]] },
    ],
    review: false,
  },
  {
    survey: "obce-socialni-prace",
    firstHeading: null,
    pages: [
      { id: "identification", do: [["check", "consent_gdpr", "yes"], ["select", "municipality", "kolin"], ["radio", "respondent_role", "head"], ["text", "project_start", "2017-03-01"]] },
      { id: "staffing", do: [["text", "sw_project", "3"], ["text", "sw_total", "4"], ["radio", "other_agendas", "1"], ["text", "other_agendas_share", "30"]] },
      {
        id: "regional_office",
        do: [
          ["radio", "use_freq.methodologist", "3"],
          ["radio", "use_freq.meetings", "4"],
          ["radio", "use_freq.lawyer", "2"],
          ["radio", "use_freq.trainings", "1"],
          ["radio", "use_freq.case_seminars", "1"],
          ["radio", "use_freq.workshops", "2"],
          ["radio", "satisfaction.availability", "4"],
          ["radio", "lawyer_satisfaction", "5"],
        ],
      },
      { id: "training", do: [["check", "training", "accredited"], ["check", "supervision", "individual"], ["radio", "supervision_benefit", "4"]] },
      { id: "limits", do: [["text", "limits", "Chybí návazné služby a dostupné bydlení."], ["radio", "overall_support", "4"]] },
    ],
    review: true,
  },
  {
    survey: "cinnosti-socialni-prace",
    firstHeading: null,
    pages: [
      { id: "office", do: [["radio", "office_type", "orp"], ["text", "office_name", "MÚ Kolín"], ["radio", "field_work", "0"], ["check", "no_field_reasons", "capacity"]] },
      { id: "direct", do: rows("often_direct", ["depistaz", "setreni", "posouzeni", "prima_prace", "zplnomocneni", "ind_plan", "metody", "poradenstvi"], "2") },
      {
        id: "cooperation",
        do: [["radio", "often_coop.instituce", "4"], ["radio", "often_coop.navazujici", "3"], ["radio", "often_coop.site", "1"], ["radio", "often_coop.zmena_prostredi", "1"], ["radio", "well_coop.instituce", "4"]],
      },
      { id: "development", do: [["radio", "often_dev.koncepce", "1"], ["radio", "often_dev.prevence", "1"], ["radio", "often_dev.propagace", "1"], ["radio", "often_dev.vzdelavani", "5"]] },
      {
        id: "documentation",
        do: [
          ...rows("well_admin", ["predpisy", "zaznam", "statistiky", "ochrana_udaju", "zabezpeceni_udaju", "etika", "mlcenlivost"], "5"),
          // A constant sum: the blank "rozvoj" counts 0; the script shows the running total.
          ["text", "time_split.klienti", "60"],
          ["text", "time_split.spoluprace", "25"],
          ["text", "time_split.administrativa", "15"],
        ],
        runningTotal: "Součet: 100 / 100",
      },
      {
        id: "priorities",
        do: [["select", "obstacles.staff", "1"], ["select", "obstacles.agendas", "2"], ["select", "obstacles.admin", "3"], ["select", "obstacles.services", "4"], ["select", "obstacles.guidance", "5"]],
      },
    ],
    review: true,
  },
];
