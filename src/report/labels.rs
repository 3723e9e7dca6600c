//! The words of a report (headings, column names, notes) in Czech and English, and how
//! numbers and p-values are written in each.

use crate::survey::Lang;

pub struct Labels {
    pub responses: &'static str,
    pub generated_by: &'static str,
    pub plan: &'static str,
    pub default_plan: &'static str,
    pub filter: &'static str,
    pub suppression: &'static str,
    pub timeline: &'static str,
    pub per_day: &'static str,
    pub per_week: &'static str,
    pub per_month: &'static str,
    pub cumulative: &'static str,
    pub descriptives: &'static str,
    pub answer: &'static str,
    pub count: &'static str,
    pub percent: &'static str,
    pub ci95: &'static str,
    pub n: &'static str,
    pub missing: &'static str,
    pub mean: &'static str,
    pub sd: &'static str,
    pub median: &'static str,
    pub quartiles: &'static str,
    pub min_max: &'static str,
    pub top2: &'static str,
    pub item: &'static str,
    pub percent_of_responses: &'static str,
    pub text_answers: &'static str,
    pub crosstabs: &'static str,
    pub total: &'static str,
    pub comparisons: &'static str,
    pub group: &'static str,
    pub reliability: &'static str,
    pub alpha: &'static str,
    pub alpha_if_deleted: &'static str,
    pub item_total: &'static str,
    pub used_dropped: &'static str,
    pub prepost: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub change: &'static str,
    pub improved: &'static str,
    pub linked: &'static str,
    pub unlinked: &'static str,
    pub low_expected_rxc: &'static str,
    pub all_items: &'static str,
    pub no_test: &'static str,
    pub low_expected: &'static str,
    pub adjusted: &'static str,
    pub wilcoxon_adjusted: &'static str,
    pub too_few_linked: &'static str,
    pub small_groups_left_out: &'static str,
    pub holm: &'static str,
    pub bh: &'static str,
    pub no_correction: &'static str,
    pub survey: &'static str,
    pub contents: &'static str,
    pub table: &'static str,
    pub figure: &'static str,
    pub invited: &'static str,
    pub response_rate: &'static str,
    pub field_period: &'static str,
    pub produced: &'static str,
    pub custom_plan: &'static str,
    pub method: &'static str,
    pub row_percent_note: &'static str,
    pub summary: &'static str,
    pub small_group: &'static str,
}

pub const CS: Labels = Labels {
    responses: "Dokončené odpovědi",
    generated_by: "Vytvořeno nástrojem anketa",
    plan: "Plán analýzy",
    default_plan: "výchozí (popis všech otázek)",
    filter: "Filtr",
    suppression: "Počty menší než {} jsou v tabulkách skryté jako „<{}“; „x“ skrývá buňku, ze které by šel skrytý počet dopočítat.",
    timeline: "Odpovědi v čase",
    per_day: "odpovědi za den",
    per_week: "odpovědi za týden",
    per_month: "odpovědi za měsíc",
    cumulative: "celkem",
    descriptives: "Popis odpovědí",
    answer: "Odpověď",
    count: "Počet",
    percent: "%",
    ci95: "95% IS",
    n: "n",
    missing: "chybí",
    mean: "průměr",
    sd: "sm. odch.",
    median: "medián",
    quartiles: "kvartily",
    min_max: "min–max",
    top2: "2 nejvyšší",
    item: "Položka",
    percent_of_responses: "% odpovědí",
    text_answers: "textových odpovědí (jsou jen v exportu)",
    crosstabs: "Kontingenční tabulky",
    total: "Celkem",
    comparisons: "Srovnání skupin",
    group: "Skupina",
    reliability: "Reliabilita škál",
    alpha: "Cronbachovo alfa",
    alpha_if_deleted: "alfa bez položky",
    item_total: "korelace položka–zbytek",
    used_dropped: "respondentů použito / vyřazeno (neúplné odpovědi)",
    prepost: "Před a po",
    before: "před",
    after: "po",
    change: "změna",
    improved: "zlepšení",
    linked: "spárovaní respondenti",
    unlinked: "bez páru",
    low_expected_rxc: "více než 20 % očekávaných četností je menších než 5: výsledek testu je proto třeba vykládat opatrně, případně sloučit kategorie",
    all_items: "Průměr všech položek",
    no_test: "test nelze spočítat (málo dat nebo žádný rozptyl)",
    low_expected: "více než 20 % očekávaných četností je menších než 5: rozhoduje Fisherův přesný test",
    adjusted: "upravené p",
    wilcoxon_adjusted: "Wilcoxon, upravené p",
    too_few_linked: "příliš málo spárovaných respondentů: výsledky skryty",
    small_groups_left_out: "skupiny s méně odpověďmi, než je práh, nejsou v testech",
    holm: "Holmova korekce",
    bh: "Benjaminiho–Hochbergova korekce",
    no_correction: "bez korekce",
    survey: "Dotazník",
    contents: "Obsah",
    table: "Tabulka",
    figure: "Graf",
    invited: "Pozvaní respondenti",
    response_rate: "Míra odpovědí",
    field_period: "Období sběru dat",
    produced: "Datum zpracování",
    custom_plan: "plán hodnocení",
    method: "Metoda",
    summary: "Shrnutí",
    row_percent_note: "Počty odpovědí; v závorce podíl v rámci řádku, tj. ze všech odpovědí dané skupiny.",
    small_group: "málo odpovědí: statistiky skryty",
};

pub const EN: Labels = Labels {
    responses: "Complete responses",
    generated_by: "Made with anketa",
    plan: "Analysis plan",
    default_plan: "default (every question described)",
    filter: "Filter",
    suppression: "Counts below {} are shown as \"<{}\" in the tables; \"x\" hides a cell a hidden count could be worked out from.",
    timeline: "Responses over time",
    per_day: "responses per day",
    per_week: "responses per week",
    per_month: "responses per month",
    cumulative: "total",
    descriptives: "Answers",
    answer: "Answer",
    count: "Count",
    percent: "%",
    ci95: "95% CI",
    n: "n",
    missing: "missing",
    mean: "mean",
    sd: "SD",
    median: "median",
    quartiles: "quartiles",
    min_max: "min–max",
    top2: "top 2",
    item: "Item",
    percent_of_responses: "% of ticks",
    text_answers: "text answers (in the export only)",
    crosstabs: "Crosstabs",
    total: "Total",
    comparisons: "Group comparisons",
    group: "Group",
    reliability: "Scale reliability",
    alpha: "Cronbach's alpha",
    alpha_if_deleted: "alpha if deleted",
    item_total: "item-rest correlation",
    used_dropped: "respondents used / dropped (incomplete answers)",
    prepost: "Before and after",
    before: "before",
    after: "after",
    change: "change",
    improved: "improved",
    linked: "linked respondents",
    unlinked: "without a match",
    low_expected_rxc: "more than 20 % of expected counts are below 5: read the test with caution, or merge categories",
    all_items: "Mean of all items",
    no_test: "no test possible (too little data or no variance)",
    low_expected: "more than 20 % of expected counts are below 5: Fisher's exact test decides",
    adjusted: "adjusted p",
    wilcoxon_adjusted: "Wilcoxon, adjusted p",
    too_few_linked: "too few linked respondents: results hidden",
    small_groups_left_out: "groups with fewer answers than the threshold are left out of the tests",
    holm: "Holm correction",
    bh: "Benjamini-Hochberg correction",
    no_correction: "no correction",
    survey: "Questionnaire",
    contents: "Contents",
    table: "Table",
    figure: "Figure",
    invited: "Invited",
    response_rate: "Response rate",
    field_period: "Field period",
    produced: "Produced",
    custom_plan: "the evaluation's plan",
    method: "Method",
    summary: "Summary",
    row_percent_note: "Numbers of responses; in brackets the share within the row, of everyone in that group.",
    small_group: "few answers: statistics hidden",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Cs => &CS,
        Lang::En => &EN,
    }
}

/// A number with `decimals` places, with a decimal comma in Czech.
pub fn num(lang: Lang, x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    match lang {
        Lang::Cs => s.replace('.', ","),
        Lang::En => s,
    }
}

pub fn opt(lang: Lang, x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "–".into(), |x| num(lang, x, decimals))
}

/// A p-value as reports write it: three decimals, "< 0.001" below that.
pub fn p_value(lang: Lang, p: f64) -> String {
    if p < 0.001 {
        // A no-break space: "< 0,001" never wraps between its two parts.
        format!("<\u{a0}{}", num(lang, 0.001, 3))
    } else {
        num(lang, p, 3)
    }
}

impl Labels {
    pub fn suppression_note(&self, threshold: u64) -> String {
        self.suppression.replacen("{}", &threshold.to_string(), 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_values_keep_their_sign_and_number_together_and_use_the_languages_separator() {
        assert_eq!(p_value(Lang::Cs, 0.0001), "<\u{a0}0,001");
        assert_eq!(p_value(Lang::En, 0.0001), "<\u{a0}0.001");
        assert_eq!(p_value(Lang::Cs, 0.0312), "0,031");
    }

    #[test]
    fn czech_labels_are_formal() {
        // The informal imperative ("zvaž", "ber") has no place in a report for a ministry.
        let cs = labels(Lang::Cs);
        for text in [
            cs.low_expected_rxc,
            cs.low_expected,
            cs.suppression,
            cs.row_percent_note,
        ] {
            for informal in ["zvaž ", "ber ", "ber s "] {
                assert!(!text.contains(informal), "{text}");
            }
        }
    }
}
