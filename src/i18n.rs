//! The respondent interface in Czech and English: every fixed string, plural forms,
//! number and date formatting, and the wording of validation problems.

use crate::survey::Lang;
use crate::survey::answer::format_number;
use crate::survey::flow::Progress;
use crate::survey::form::Problem;
use crate::survey::model::{Question, QuestionKind};
use crate::survey::types;

/// Fixed interface strings of one language. A struct (not a lookup table) so a missing
/// translation is a compile error.
pub struct Ui {
    pub lang: Lang,
    pub language_name: &'static str,
    pub skip_to_content: &'static str,
    pub next: &'static str,
    pub back: &'static str,
    pub submit: &'static str,
    pub required: &'static str,
    pub error_prefix: &'static str,
    pub error_summary_title: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub choose: &'static str,
    pub other_specify: &'static str,
    pub consent_default_label: &'static str,
    pub rank_hint: &'static str,
    pub date_hint: &'static str,
    pub progress_label: &'static str,
    pub thanks_title: &'static str,
    pub thanks_default: &'static str,
    pub surveys_title: &'static str,
    pub surveys_intro: &'static str,
    pub no_surveys: &'static str,
    pub switch_language: &'static str,
    pub session_expired: &'static str,
    pub unavailable_saving: &'static str,
    pub save_later: &'static str,
    pub have_code: &'static str,
    pub saved_title: &'static str,
    pub saved_intro: &'static str,
    pub saved_link: &'static str,
    pub saved_code: &'static str,
    pub continue_now: &'static str,
    pub resume_title: &'static str,
    pub resume_intro: &'static str,
    pub resume_label: &'static str,
    pub resume_hint: &'static str,
    pub resume_not_found: &'static str,
    pub token_resume_hint: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub change: &'static str,
    pub not_answered: &'static str,
    pub not_yet_open_title: &'static str,
    pub closed_title: &'static str,
    pub full_text: &'static str,
}

pub static CS: Ui = Ui {
    lang: Lang::Cs,
    language_name: "Česky",
    skip_to_content: "Přeskočit na obsah",
    next: "Pokračovat",
    back: "Zpět",
    submit: "Odeslat odpovědi",
    required: "povinné",
    error_prefix: "Chyba",
    error_summary_title: "Prosíme, opravte tyto údaje",
    yes: "Ano",
    no: "Ne",
    choose: "Vyberte…",
    other_specify: "Uveďte jaké",
    consent_default_label: "Souhlasím",
    rank_hint: "Číslujte od 1 (první místo) bez vynechání, každé číslo jen jednou.",
    date_hint: "Například 16. 1. 2024",
    progress_label: "Průběh vyplňování",
    thanks_title: "Děkujeme za vyplnění",
    thanks_default: "Vaše odpovědi byly uloženy.",
    surveys_title: "Dotazníky",
    surveys_intro: "Vyberte dotazník, který chcete vyplnit.",
    no_surveys: "Momentálně nejsou otevřené žádné dotazníky.",
    switch_language: "Jazyk",
    session_expired: "Platnost formuláře vypršela nebo byl odeslán odjinud. Zkontrolujte prosím odpovědi na této stránce a odešlete je znovu.",
    unavailable_saving: "Odpovědi se teď nepodařilo uložit, protože úložiště je dočasně nedostupné. Nic z toho, co jste vyplnili, se neztratilo: zkuste to prosím za chvíli znovu.",
    save_later: "Uložit a dokončit později",
    have_code: "Máte kód pro pokračování ve vyplňování?",
    saved_title: "Vaše odpovědi jsou uložené",
    saved_intro: "Ve vyplňování můžete pokračovat později, i na jiném zařízení, pomocí tohoto odkazu nebo kódu. Uschovejte si je pro sebe: kdo je zná, může vaše rozepsané odpovědi otevřít.",
    saved_link: "Odkaz pro pokračování",
    saved_code: "Kód pro pokračování",
    continue_now: "Pokračovat ve vyplňování",
    resume_title: "Pokračovat ve vyplňování",
    resume_intro: "Zadejte kód, který jste dostali, když jste odpovědi uložili.",
    resume_label: "Kód pro pokračování",
    resume_hint: "Kód má 12 znaků, například 7K2M-9QXA-4HTB. Na velikosti písmen ani pomlčkách nezáleží.",
    resume_not_found: "Tento kód neznáme nebo už neplatí. Zkontrolujte ho prosím.",
    token_resume_hint: "Ve vyplňování můžete kdykoli pokračovat přes svůj osobní odkaz z pozvánky; odpovědi z dokončených stránek jsou uložené.",
    review_title: "Zkontrolujte své odpovědi",
    review_intro: "Než odpovědi odešlete, zkontrolujte je prosím. Odpovědi na stránce upravíte odkazem Změnit.",
    change: "Změnit",
    not_answered: "Bez odpovědi",
    not_yet_open_title: "Dotazník zatím není otevřený",
    closed_title: "Dotazník je uzavřený",
    full_text: "Už máme všechny odpovědi, které jsme potřebovali, a další nepřijímáme. Děkujeme za zájem.",
};

pub static EN: Ui = Ui {
    lang: Lang::En,
    language_name: "English",
    skip_to_content: "Skip to content",
    next: "Continue",
    back: "Back",
    submit: "Submit answers",
    required: "required",
    error_prefix: "Error",
    error_summary_title: "Please correct the following",
    yes: "Yes",
    no: "No",
    choose: "Choose…",
    other_specify: "Please specify",
    consent_default_label: "I agree",
    rank_hint: "Number from 1 (first place) without gaps, each number once.",
    date_hint: "For example 16 January 2024",
    progress_label: "Progress",
    thanks_title: "Thank you",
    thanks_default: "Your answers have been saved.",
    surveys_title: "Surveys",
    surveys_intro: "Choose the survey you would like to fill in.",
    no_surveys: "No surveys are open at the moment.",
    switch_language: "Language",
    session_expired: "This form expired or was sent from elsewhere. Please check your answers on this page and send them again.",
    unavailable_saving: "Your answers could not be saved just now because storage is temporarily unavailable. Nothing you entered is lost: please try again in a moment.",
    save_later: "Save and finish later",
    have_code: "Do you have a code to continue?",
    saved_title: "Your answers are saved",
    saved_intro: "You can continue later, also on another device, with this link or code. Keep them to yourself: anyone who has them can open your unfinished answers.",
    saved_link: "Link to continue",
    saved_code: "Code to continue",
    continue_now: "Continue now",
    resume_title: "Continue where you left off",
    resume_intro: "Enter the code you were given when you saved your answers.",
    resume_label: "Code to continue",
    resume_hint: "The code has 12 characters, for example 7K2M-9QXA-4HTB. Upper or lower case and dashes do not matter.",
    resume_not_found: "We do not recognise this code, or it has expired. Please check it.",
    token_resume_hint: "You can continue at any time with the personal link from your invitation; answers on finished pages are saved.",
    review_title: "Check your answers",
    review_intro: "Please check your answers before you submit them. Use Change to edit the answers on a page.",
    change: "Change",
    not_answered: "Not answered",
    not_yet_open_title: "This survey is not open yet",
    closed_title: "This survey is closed",
    full_text: "We have all the answers we needed and are not accepting more. Thank you for your interest.",
};

pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::Cs => &CS,
        Lang::En => &EN,
    }
}

/// Czech has three plural forms: 1; 2-4; 0 and 5 or more.
pub fn plural_cs<'a>(n: usize, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    match n {
        1 => one,
        2..=4 => few,
        _ => many,
    }
}

fn plural_en<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A number as people write it in the language: `3,5` in Czech, `3.5` in English.
pub fn number(lang: Lang, n: f64) -> String {
    let s = format_number(n);
    match lang {
        Lang::Cs => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A date as people write it: `16. 1. 2024` in Czech, `16 January 2024` in English.
pub fn date(lang: Lang, d: time::Date) -> String {
    match lang {
        Lang::Cs => format!("{}. {}. {}", d.day(), u8::from(d.month()), d.year()),
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
    }
}

/// A moment as people write it, in a time zone: `16. 1. 2024 10:32` / `16 January 2024, 10:32`.
pub fn date_time(lang: Lang, at: time::OffsetDateTime, tz: &jiff::tz::TimeZone) -> String {
    let local = jiff::Timestamp::from_nanosecond(at.unix_timestamp_nanos())
        .map(|ts| ts.to_zoned(tz.clone()));
    let Ok(local) = local else {
        return at.to_string();
    };
    let (h, m) = (local.hour(), local.minute());
    let day = time::Date::from_calendar_date(
        i32::from(local.year()),
        time::Month::try_from(local.month() as u8).unwrap_or(time::Month::January),
        local.day() as u8,
    );
    let Ok(day) = day else { return at.to_string() };
    match lang {
        Lang::Cs => format!("{} {h}:{m:02}", date(lang, day)),
        Lang::En => format!("{}, {h}:{m:02}", date(lang, day)),
    }
}

impl Ui {
    /// "You can answer from …" for a survey that has not opened yet.
    pub fn opens_at(&self, when: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Odpovídat bude možné od {when}."),
            Lang::En => format!("You can answer from {when}."),
        }
    }

    pub fn closed_at(&self, when: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Odpovědi jsme přijímali do {when}. Děkujeme za zájem."),
            Lang::En => format!("Answers were accepted until {when}. Thank you for your interest."),
        }
    }

    pub fn received_at(&self, when: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Vaše odpovědi jsme přijali {when}."),
            Lang::En => format!("We received your answers on {when}."),
        }
    }

    pub fn valid_until(&self, when: &str) -> String {
        match self.lang {
            Lang::Cs => format!("Platí do {when}."),
            Lang::En => format!("Valid until {when}."),
        }
    }

    /// The label of an untitled page on the review page.
    pub fn page_number(&self, n: usize) -> String {
        match self.lang {
            Lang::Cs => format!("Strana {n}"),
            Lang::En => format!("Page {n}"),
        }
    }

    /// The templates of the live character counter, `{n}` being the number.
    pub fn counter_templates(&self) -> [(&'static str, &'static str); 4] {
        match self.lang {
            Lang::Cs => [
                ("left-one", "Zbývá {n} znak."),
                ("left-few", "Zbývají {n} znaky."),
                ("left-many", "Zbývá {n} znaků."),
                ("over", "Text je o {n} znaků delší, než je povoleno."),
            ],
            Lang::En => [
                ("left-one", "{n} character left."),
                ("left-few", "{n} characters left."),
                ("left-many", "{n} characters left."),
                ("over", "{n} characters too many."),
            ],
        }
    }

    /// "Krok 2 z 5", or "Krok 2 z 5–7" while later pages depend on answers to come.
    pub fn step(&self, progress: Progress) -> String {
        let Progress {
            current,
            total,
            at_most,
        } = progress;
        let of = match at_most > total {
            true => format!("{total}–{at_most}"),
            false => total.to_string(),
        };
        match self.lang {
            Lang::Cs => format!("Krok {current} z {of}"),
            Lang::En => format!("Step {current} of {of}"),
        }
    }

    /// The hint under a multiple-choice question with limits.
    pub fn select_limits(&self, min: Option<usize>, max: Option<usize>) -> Option<String> {
        Some(match (self.lang, min, max) {
            (_, None, None) => return None,
            (Lang::Cs, Some(a), Some(b)) if a == b => format!(
                "Vyberte {a} {}.",
                plural_cs(a, "možnost", "možnosti", "možností")
            ),
            (Lang::Cs, Some(a), Some(b)) => format!(
                "Vyberte {a} až {b} {}.",
                plural_cs(b, "možnost", "možnosti", "možností")
            ),
            (Lang::Cs, Some(a), None) => format!(
                "Vyberte alespoň {a} {}.",
                plural_cs(a, "možnost", "možnosti", "možností")
            ),
            (Lang::Cs, None, Some(b)) => format!(
                "Vyberte nejvýše {b} {}.",
                plural_cs(b, "možnost", "možnosti", "možností")
            ),
            (Lang::En, Some(a), Some(b)) if a == b => {
                format!("Select {a} {}.", plural_en(a, "option", "options"))
            }
            (Lang::En, Some(a), Some(b)) => format!("Select {a} to {b} options."),
            (Lang::En, Some(a), None) => {
                format!("Select at least {a} {}.", plural_en(a, "option", "options"))
            }
            (Lang::En, None, Some(b)) => {
                format!("Select at most {b} {}.", plural_en(b, "option", "options"))
            }
        })
    }

    /// What is wrong with a typed resume code, or that it is unknown.
    pub fn resume_problem(&self, typed: &crate::tokens::TypedCode) -> String {
        use crate::tokens::{RESUME_DIGITS, TypedCode};
        match (self.lang, typed) {
            (_, TypedCode::Code(_)) => self.resume_not_found.to_string(),
            (Lang::Cs, TypedCode::WrongLength(n)) => format!(
                "Kód má {RESUME_DIGITS} znaků (písmena a číslice), vy jste zadali {n} {}. Zkontrolujte ho prosím.",
                plural_cs(*n, "znak", "znaky", "znaků")
            ),
            (Lang::En, TypedCode::WrongLength(n)) => format!(
                "A code has {RESUME_DIGITS} characters (letters and digits); you typed {n}. Please check it."
            ),
            (Lang::Cs, TypedCode::NotADigit(c)) => format!(
                "Kód tvoří jen písmena bez diakritiky (kromě U) a číslice; „{c}“ v něm být nemůže."
            ),
            (Lang::En, TypedCode::NotADigit(c)) => {
                format!("A code has only letters (no U) and digits; \"{c}\" cannot be in it.")
            }
        }
    }

    /// The hint under a constant sum: what to distribute, and that a blank box is 0.
    pub fn points_hint(&self, total: u32, unit: Option<&str>) -> String {
        let unit = self.points_unit(total, unit);
        match self.lang {
            Lang::Cs => {
                format!("Rozdělte celkem {total} {unit} mezi položky. Prázdné pole znamená 0.")
            }
            Lang::En => format!("Share {total} {unit} among the items. A blank box counts as 0."),
        }
    }

    /// What a constant sum distributes: its `unit`, or points in the plural `total` needs.
    fn points_unit<'a>(&self, total: u32, unit: Option<&'a str>) -> &'a str {
        let n = total as usize;
        match (self.lang, unit) {
            (_, Some(unit)) => unit,
            (Lang::Cs, None) => plural_cs(n, "bod", "body", "bodů"),
            (Lang::En, None) => plural_en(n, "point", "points"),
        }
    }

    /// The running total under a constant sum, for the script: "Součet: {sum} / {total}".
    pub fn points_total_template(&self) -> &'static str {
        match self.lang {
            Lang::Cs => "Součet: {sum} / {total}",
            Lang::En => "Total: {sum} / {total}",
        }
    }

    /// "at most 500 characters", shown under long text boxes.
    pub fn max_chars(&self, max: usize) -> String {
        match self.lang {
            Lang::Cs => format!(
                "Nejvýše {max} {}.",
                plural_cs(max, "znak", "znaky", "znaků")
            ),
            Lang::En => format!(
                "At most {max} {}.",
                plural_en(max, "character", "characters")
            ),
        }
    }

    /// The message for `problem` of question `q`. A required question left blank says
    /// what to do with this question: its own `required_message`, or one derived from its
    /// type; in the error summary (`in_summary`) followed by the question's text, so each
    /// link names its question.
    pub fn problem_for(&self, q: &Question, problem: &Problem, in_summary: bool) -> String {
        match (problem, &q.required_message) {
            (Problem::Required | Problem::ConsentRequired, Some(message)) => {
                message.get(self.lang).to_string()
            }
            (Problem::Required, None) => {
                let ask = self.required(&q.kind);
                match q.text.get(self.lang).trim() {
                    text if in_summary && !text.is_empty() => format!("{ask}: {text}"),
                    _ => format!("{ask}."),
                }
            }
            (problem, _) => self.problem(problem),
        }
    }

    /// What a required question of this kind asks for when left blank.
    fn required(&self, kind: &QuestionKind) -> String {
        let cs = self.lang == Lang::Cs;
        let pick = |cs_text: &str, en_text: &str| if cs { cs_text } else { en_text }.to_string();
        match kind {
            QuestionKind::Text(_) | QuestionKind::Textarea(_) => {
                pick("Napište odpověď", "Enter an answer")
            }
            QuestionKind::Email(types::Email) => {
                pick("Zadejte e-mailovou adresu", "Enter an e-mail address")
            }
            QuestionKind::Number(_) => pick("Zadejte číslo", "Enter a number"),
            QuestionKind::Date(_) => pick("Zadejte datum", "Enter a date"),
            QuestionKind::Single(_)
            | QuestionKind::Dropdown(_)
            | QuestionKind::Likert(_)
            | QuestionKind::Rating(_)
            | QuestionKind::YesNo(types::YesNo)
            | QuestionKind::Hidden(_)
            | QuestionKind::Note(types::Note) => pick("Vyberte odpověď", "Select an answer"),
            QuestionKind::Multi(_) => pick(
                "Vyberte alespoň jednu možnost",
                "Select at least one option",
            ),
            QuestionKind::Matrix(_) => pick("Odpovězte v každém řádku", "Answer every row"),
            QuestionKind::Ranking(_) => pick("Seřaďte položky", "Rank the items"),
            QuestionKind::ConstantSum(types::ConstantSum { total, unit, .. }) => {
                let unit = self.points_unit(*total, unit.as_ref().map(|u| u.get(self.lang)));
                pick(
                    &format!("Rozdělte {total} {unit}"),
                    &format!("Share {total} {unit}"),
                )
            }
            QuestionKind::Consent(_) => pick("Potvrďte souhlas", "Give your consent"),
        }
    }

    /// The message for a validation problem, in this language.
    pub fn problem(&self, problem: &Problem) -> String {
        let l = self.lang;
        match (l, problem) {
            (Lang::Cs, Problem::Required) => "Odpovězte prosím na tuto otázku.".into(),
            (Lang::En, Problem::Required) => "Please answer this question.".into(),
            (Lang::Cs, Problem::TooLong { max }) => format!(
                "Text může mít nejvýše {max} {}.",
                plural_cs(*max, "znak", "znaky", "znaků")
            ),
            (Lang::En, Problem::TooLong { max }) => format!(
                "Enter at most {max} {}.",
                plural_en(*max, "character", "characters")
            ),
            (Lang::Cs, Problem::NotANumber) => "Zadejte číslo, například 12.".into(),
            (Lang::En, Problem::NotANumber) => "Enter a number, like 12.".into(),
            (Lang::Cs, Problem::NotWhole) => "Zadejte celé číslo.".into(),
            (Lang::En, Problem::NotWhole) => "Enter a whole number.".into(),
            (Lang::Cs, Problem::BelowMin { min }) => {
                format!("Zadejte číslo {} nebo větší.", number(l, *min))
            }
            (Lang::En, Problem::BelowMin { min }) => {
                format!("Enter a number of {} or more.", number(l, *min))
            }
            (Lang::Cs, Problem::AboveMax { max }) => {
                format!("Zadejte číslo {} nebo menší.", number(l, *max))
            }
            (Lang::En, Problem::AboveMax { max }) => {
                format!("Enter a number of {} or less.", number(l, *max))
            }
            (Lang::Cs, Problem::InvalidChoice) => "Vyberte jednu z nabízených možností.".into(),
            (Lang::En, Problem::InvalidChoice) => "Select one of the options shown.".into(),
            (Lang::Cs, Problem::OtherTextMissing) => "Uveďte, co myslíte možností „Jiné“.".into(),
            (Lang::En, Problem::OtherTextMissing) => "Tell us what you mean by \"Other\".".into(),
            (Lang::Cs, Problem::TooFew { min }) => format!(
                "Vyberte alespoň {min} {}.",
                plural_cs(*min, "možnost", "možnosti", "možností")
            ),
            (Lang::En, Problem::TooFew { min }) => format!(
                "Select at least {min} {}.",
                plural_en(*min, "option", "options")
            ),
            (Lang::Cs, Problem::TooMany { max }) => format!(
                "Vyberte nejvýše {max} {}.",
                plural_cs(*max, "možnost", "možnosti", "možností")
            ),
            (Lang::En, Problem::TooMany { max }) => format!(
                "Select at most {max} {}.",
                plural_en(*max, "option", "options")
            ),
            (Lang::Cs, Problem::RowsMissing { missing }) => {
                format!(
                    "Odpovězte prosím v každém řádku (chybí {missing} {}).",
                    plural_cs(*missing, "řádek", "řádky", "řádků")
                )
            }
            (Lang::En, Problem::RowsMissing { missing }) => format!(
                "Please answer every row ({missing} {} missing).",
                plural_en(*missing, "row", "rows")
            ),
            (Lang::Cs, Problem::NotAnEmail) => {
                "Zadejte e-mailovou adresu ve tvaru jana.novakova@obec.cz.".into()
            }
            (Lang::En, Problem::NotAnEmail) => {
                "Enter an e-mail address like jana.novakova@obec.cz.".into()
            }
            (Lang::Cs, Problem::InvalidDate) => {
                "Zadejte skutečné datum, například 16. 1. 2024.".into()
            }
            (Lang::En, Problem::InvalidDate) => "Enter a real date, like 16 January 2024.".into(),
            (Lang::Cs, Problem::DateBefore { min }) => {
                format!("Datum musí být {} nebo později.", date(l, *min))
            }
            (Lang::En, Problem::DateBefore { min }) => {
                format!("The date must be {} or later.", date(l, *min))
            }
            (Lang::Cs, Problem::DateAfter { max }) => {
                format!("Datum musí být {} nebo dříve.", date(l, *max))
            }
            (Lang::En, Problem::DateAfter { max }) => {
                format!("The date must be {} or earlier.", date(l, *max))
            }
            (Lang::Cs, Problem::ConsentRequired) => {
                "Bez vašeho souhlasu nemůžete pokračovat.".into()
            }
            (Lang::En, Problem::ConsentRequired) => "You need to agree to continue.".into(),
            (Lang::Cs, Problem::RankUsedTwice { rank }) => {
                format!("Pořadí {rank} je použité vícekrát; každé číslo použijte jen jednou.")
            }
            (Lang::En, Problem::RankUsedTwice { rank }) => {
                format!("Rank {rank} is used more than once; use each number once.")
            }
            (Lang::Cs, Problem::RankingIncomplete) => "Přiřaďte pořadí všem položkám.".into(),
            (Lang::En, Problem::RankingIncomplete) => "Give every item a rank.".into(),
            (Lang::Cs, Problem::RankSkipped { rank }) => {
                format!("Chybí pořadí {rank}: číslujte od 1 bez vynechání.")
            }
            (Lang::En, Problem::RankSkipped { rank }) => {
                format!("Rank {rank} is missing: number the items from 1 without gaps.")
            }
            (Lang::Cs, Problem::SumMismatch { total, sum }) => {
                let fix = match *sum < u64::from(*total) {
                    true => format!("přidejte ještě {}", u64::from(*total) - sum),
                    false => format!("uberte {}", sum - u64::from(*total)),
                };
                format!("Součet je {sum}, musí být přesně {total}: {fix}.")
            }
            (Lang::En, Problem::SumMismatch { total, sum }) => {
                let fix = match *sum < u64::from(*total) {
                    true => format!("add {} more", u64::from(*total) - sum),
                    false => format!("take away {}", sum - u64::from(*total)),
                };
                format!("The numbers add up to {sum}, but must add up to exactly {total}: {fix}.")
            }
            (_, Problem::Rule(message)) => message.get(l).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_sum_says_how_much_to_add_or_take_away() {
        let cases = [
            (
                &CS,
                90,
                "Součet je 90, musí být přesně 100: přidejte ještě 10.",
            ),
            (&CS, 130, "Součet je 130, musí být přesně 100: uberte 30."),
            (
                &EN,
                99,
                "The numbers add up to 99, but must add up to exactly 100: add 1 more.",
            ),
            (
                &EN,
                101,
                "The numbers add up to 101, but must add up to exactly 100: take away 1.",
            ),
        ];
        assert!(!cases.is_empty());
        for (ui, sum, want) in cases {
            assert_eq!(ui.problem(&Problem::SumMismatch { total: 100, sum }), want);
        }
        assert_eq!(
            CS.points_hint(5, None),
            "Rozdělte celkem 5 bodů mezi položky. Prázdné pole znamená 0."
        );
        assert_eq!(
            EN.points_hint(1, None),
            "Share 1 point among the items. A blank box counts as 0."
        );
    }

    #[test]
    fn a_blank_required_question_is_told_what_to_do_and_named_in_the_summary() {
        let src = r#"
id = "req"
title = "R"
languages = ["cs", "en"]
[[page]]
id = "p"
  [[page.question]]
  id = "name"
  type = "text"
  text = { cs = "Jméno", en = "Name" }
  required = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = { cs = "Témata", en = "Topics" }
  options = [ { value = "a", label = "A" } ]
  required = true
  [[page.question]]
  id = "split"
  type = "constant_sum"
  text = { cs = "Čas", en = "Time" }
  total = 100
  unit = "%"
  items = [ { id = "a", text = "A" } ]
  required = true
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = { cs = "Obec", en = "Town" }
  options = [ { value = "a", label = "A" } ]
  required = true
  required_message = { cs = "Vyberte obec, za kterou odpovídáte.", en = "Choose the town you answer for." }
  [[page.question]]
  id = "ok"
  type = "consent"
  text = { cs = "Souhlas", en = "Consent" }
  version = "1"
  required_message = { cs = "Bez souhlasu s nahráváním rozhovor nezačne.", en = "No recording without consent." }
"#;
        let survey = crate::survey::load_str(std::path::Path::new("r.toml"), src)
            .survey
            .expect("valid");
        let said = |ui: &Ui, id: &str, summary: bool| {
            ui.problem_for(survey.question(id).unwrap(), &Problem::Required, summary)
        };
        let cases = [
            (&CS, "name", true, "Napište odpověď: Jméno"),
            (&CS, "name", false, "Napište odpověď."),
            (&EN, "topics", true, "Select at least one option: Topics"),
            (&CS, "split", false, "Rozdělte 100 %."),
            (&CS, "town", true, "Vyberte obec, za kterou odpovídáte."),
            (&EN, "town", false, "Choose the town you answer for."),
        ];
        assert!(!cases.is_empty());
        for (ui, id, summary, want) in cases {
            assert_eq!(said(ui, id, summary), want, "{id}");
        }
        // A consent's own message replaces the consent problem's too.
        assert_eq!(
            CS.problem_for(
                survey.question("ok").unwrap(),
                &Problem::ConsentRequired,
                true
            ),
            "Bez souhlasu s nahráváním rozhovor nezačne."
        );
        // Other problems are the question's problem as before.
        assert_eq!(
            CS.problem_for(
                survey.question("name").unwrap(),
                &Problem::TooLong { max: 5 },
                true
            ),
            CS.problem(&Problem::TooLong { max: 5 })
        );
        // A message for a question that is not required is never shown: a warning.
        let loaded = crate::survey::load_str(
            std::path::Path::new("r.toml"),
            &src.replacen(
                "  required = true\n  required_message",
                "  required_message",
                1,
            ),
        );
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.to_string().contains("`required_message` is never shown")),
            "{:?}",
            loaded.diagnostics
        );
    }

    #[test]
    fn progress_names_a_range_while_pages_may_still_apply() {
        let p = |current, total, at_most| Progress {
            current,
            total,
            at_most,
        };
        assert_eq!(CS.step(p(1, 3, 3)), "Krok 1 z 3");
        assert_eq!(CS.step(p(1, 3, 5)), "Krok 1 z 3–5");
        assert_eq!(EN.step(p(2, 4, 6)), "Step 2 of 4–6");
    }

    #[test]
    fn czech_plurals_have_three_forms() {
        let forms: Vec<_> = [0, 1, 2, 4, 5, 22]
            .iter()
            .map(|&n| plural_cs(n, "znak", "znaky", "znaků"))
            .collect();
        assert_eq!(forms, ["znaků", "znak", "znaky", "znaky", "znaků", "znaků"]);
        assert_eq!(
            CS.problem(&Problem::TooMany { max: 3 }),
            "Vyberte nejvýše 3 možnosti."
        );
        assert_eq!(
            CS.problem(&Problem::TooMany { max: 5 }),
            "Vyberte nejvýše 5 možností."
        );
        assert_eq!(
            CS.problem(&Problem::RowsMissing { missing: 1 }),
            "Odpovězte prosím v každém řádku (chybí 1 řádek)."
        );
        assert_eq!(
            EN.problem(&Problem::RowsMissing { missing: 2 }),
            "Please answer every row (2 rows missing)."
        );
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        assert_eq!(
            CS.problem(&Problem::BelowMin { min: 0.5 }),
            "Zadejte číslo 0,5 nebo větší."
        );
        assert_eq!(
            EN.problem(&Problem::BelowMin { min: 0.5 }),
            "Enter a number of 0.5 or more."
        );
        let d = time::macros::date!(2024 - 01 - 16);
        assert_eq!(date(Lang::Cs, d), "16. 1. 2024");
        assert_eq!(date(Lang::En, d), "16 January 2024");
    }

    #[test]
    fn selection_limits_read_naturally() {
        assert_eq!(
            CS.select_limits(None, Some(2)).as_deref(),
            Some("Vyberte nejvýše 2 možnosti.")
        );
        assert_eq!(
            CS.select_limits(Some(1), Some(3)).as_deref(),
            Some("Vyberte 1 až 3 možnosti.")
        );
        assert_eq!(
            EN.select_limits(Some(2), Some(2)).as_deref(),
            Some("Select 2 options.")
        );
        assert_eq!(EN.select_limits(None, None), None);
    }
}
