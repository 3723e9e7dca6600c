// anketa: optional progressive enhancement. Pages work fully without this script.
// 1. Questions whose condition depends on answers on the same page appear and disappear
//    as the respondent answers (the server decides again on submit, so nothing relies
//    on this). Conditions use the server's three-valued logic: null means unknown.
// 2. Long text boxes get a live "characters left" counter (the limit is also stated in
//    the hint, for everyone).
// 3. Constant sums show a running total of their points (the hint states the total,
//    and the server adds up on submit).
(function () {
  "use strict";
  var form = document.getElementById("page-form");
  if (!form) return;

  // A question hidden by its condition counts as unanswered, as on the server.
  function fields(name) {
    return Array.prototype.filter.call(form.querySelectorAll('[name="' + name + '"]'), function (el) {
      return !el.closest("[data-show-if][hidden]");
    });
  }

  function checkedValues(name) {
    var out = [];
    fields(name).forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value !== "") out.push(el.value);
    });
    return out;
  }

  function text(name) {
    var v = checkedValues(name);
    var s = v.length ? String(v[0]).trim() : "";
    return s === "" ? null : s;
  }

  // As the server reads numbers: digits, a sign, a decimal point or comma, spaces
  // between thousands; anything else (1e2, 0x10) is not a number.
  function number(s) {
    var c = s.replace(/[\s\u00a0\u202f]/g, "").replace(/,/g, ".");
    if (!/^[0-9.+-]+$/.test(c)) return null;
    var n = Number(c);
    return isFinite(n) ? n : null;
  }

  // As the server reads dates (ISO, 16. 1. 2024, 16 January 2024), as ISO text, which
  // compares with the condition's ISO dates; anything else is unknown.
  var MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december"];
  function isoDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s), y, mo, d;
    if (m) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else if ((m = /^(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,4})$/.exec(s))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if ((m = /^(\d{1,2})\s+([A-Za-z]{3,}),?\s+(\d{1,4})$/.exec(s))) {
      var name = m[2].toLowerCase();
      mo = 1 + MONTHS.findIndex(function (full) { return full.indexOf(name) === 0; });
      d = +m[1]; y = +m[3];
    } else return null;
    var day = new Date(Date.UTC(2000, mo - 1, d));
    day.setUTCFullYear(y);
    if (mo < 1 || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return null;
    return String(y).padStart(4, "0") + "-" + String(mo).padStart(2, "0") + "-" + String(d).padStart(2, "0");
  }

  function read(f) {
    switch (f.k) {
      case "text": case "choice": return text(f.f);
      case "date": { var t = text(f.f); return t === null ? null : isoDate(t); }
      case "num": {
        var s = text(f.f);
        return s === null ? null : number(s);
      }
      // A constant sum: an item is 0 when left blank beside others with points.
      case "point": {
        if (f.all.every(function (name) { return text(name) === null; })) return null;
        var p = text(f.f);
        return p === null ? 0 : number(p);
      }
      case "points": {
        var any = false, given = [];
        f.f.forEach(function (name) {
          var v = text(name);
          if (v === null) return;
          any = true;
          if (number(v) > 0) given.push(name);
        });
        return any ? given : null;
      }
      case "bool": { var b = text(f.f); return b === null ? null : b === "1"; }
      case "check": return checkedValues(f.f).length ? true : null;
      case "set": {
        var set = checkedValues(f.f);
        if (f.other && set.indexOf(f.other) < 0 && text(f.f + ".other_text") !== null) set.push(f.other);
        return set.length ? set : null;
      }
      case "rank": {
        var ranked = [];
        f.f.forEach(function (name, i) { if (text(name) !== null) ranked.push(f.codes[i]); });
        return ranked.length ? ranked : null;
      }
      case "rows": {
        var rows = f.f.filter(function (name) { return text(name) !== null; });
        return rows.length ? rows : null;
      }
    }
    return null;
  }

  function num(v) {
    if (typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "") { var n = Number(v); if (isFinite(n)) return n; }
    return null;
  }

  function equal(a, b) {
    if (typeof a === "string" && typeof b === "string") return a === b;
    if (typeof a === "boolean" && typeof b === "boolean") return a === b;
    var x = num(a), y = num(b);
    return x === null || y === null ? null : x === y;
  }

  function order(a, b) {
    var x = num(a), y = num(b);
    if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    return null;
  }

  function ev(n) {
    if ("v" in n) return n.v;
    if ("list" in n) return { list: n.list.map(ev) };
    if ("k" in n) return read(n);
    if ("call" in n) {
      var v = read(n.a);
      if (n.call === "answered") return v !== null;
      return v === null ? 0 : Array.isArray(v) ? v.length : 1;
    }
    var a = n.a.map(ev), l = a[0], r = a[1];
    switch (n.op) {
      case "and": return l === false || r === false ? false : l === true && r === true ? true : null;
      case "or": return l === true || r === true ? true : l === false && r === false ? false : null;
      case "not": return typeof l === "boolean" ? !l : null;
      case "neg": { var x = num(l); return x === null ? null : -x; }
    }
    if (l === null || r === null) return null;
    switch (n.op) {
      case "==": return equal(l, r);
      case "!=": { var e = equal(l, r); return e === null ? null : !e; }
      case "<": case "<=": case ">": case ">=": {
        var o = order(l, r);
        if (o === null) return null;
        return n.op === "<" ? o < 0 : n.op === "<=" ? o <= 0 : n.op === ">" ? o > 0 : o >= 0;
      }
      case "in": {
        if (Array.isArray(r)) return typeof l === "string" ? r.indexOf(l) >= 0 : null;
        if (r && r.list) {
          var unknown = false;
          for (var i = 0; i < r.list.length; i++) {
            var q = equal(l, r.list[i]);
            if (q === true) return true;
            if (q === null) unknown = true;
          }
          return unknown ? null : false;
        }
        return null;
      }
      case "+": case "-": case "*": case "/": {
        var p = num(l), s = num(r);
        if (p === null || s === null) return null;
        if (n.op === "/") return s === 0 ? null : p / s;
        return n.op === "+" ? p + s : n.op === "-" ? p - s : p * s;
      }
    }
    return null;
  }

  var conditional = Array.prototype.map.call(form.querySelectorAll("[data-show-if]"), function (el) {
    return { el: el, cond: JSON.parse(el.getAttribute("data-show-if")) };
  });

  function update() {
    conditional.forEach(function (c) {
      var show = ev(c.cond) === true;
      c.el.hidden = !show;
      c.el.classList.toggle("revealed", show);
    });
  }

  // Character counters: the limit and the wording come from data attributes.
  var counters = Array.prototype.map.call(form.querySelectorAll("[data-max-chars]"), function (input) {
    var out = document.createElement("p");
    out.className = "counter";
    out.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", out);
    return { input: input, out: out, max: Number(input.getAttribute("data-max-chars")) };
  });

  function plural(n, lang) {
    if (lang === "cs") return n === 1 ? "one" : n >= 2 && n <= 4 ? "few" : "many";
    return n === 1 ? "one" : "many";
  }

  function count() {
    counters.forEach(function (c) {
      var left = c.max - Array.from(c.input.value).length;
      var key = left < 0 ? "over" : "left-" + plural(left, document.documentElement.lang);
      var template = c.input.getAttribute("data-chars-" + key) || "";
      c.out.textContent = template.replace("{n}", String(Math.abs(left)));
      c.out.classList.toggle("over", left < 0);
    });
  }

  // Running totals: the boxes of each constant sum, the total and the wording.
  var sums = Array.prototype.map.call(form.querySelectorAll("[data-points-total]"), function (el) {
    return {
      boxes: el.querySelectorAll("input"),
      out: el.querySelector(".points-total"),
      total: Number(el.getAttribute("data-points-total")),
      template: el.getAttribute("data-points-template") || ""
    };
  });

  function add() {
    sums.forEach(function (s) {
      var sum = 0;
      Array.prototype.forEach.call(s.boxes, function (box) {
        var n = box.value.trim() === "" ? null : number(box.value);
        if (n !== null) sum += n;
      });
      s.out.hidden = false;
      s.out.textContent = s.template.replace("{sum}", String(sum)).replace("{total}", String(s.total));
      s.out.classList.toggle("over", sum > s.total);
      s.out.classList.toggle("done", sum === s.total);
    });
  }

  form.addEventListener("input", function () { update(); count(); add(); });
  form.addEventListener("change", update);
  update();
  count();
  add();
})();
