/* Meeting form in the back-office: "Zo verschijnt het" follows the date and the hours while the editor
   types. It mirrors programmes/dates.py (reading '16 en 17 mei 2018', 'najaar 2024', '3/6/2025' …)
   and Meeting.date_display in programmes/models.py (writing it back); the text the server rendered on
   load is the truth, so nothing changes until a field does. A change to one needs the other:
   tests/browser/test_meeting_date.py compares them. */
(function () {
  "use strict";
  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
  var MONTH_WORDS = { jan: 1, feb: 2, mrt: 3, maa: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, okt: 10, oct: 10, nov: 11, dec: 12 };
  MONTHS.forEach(function (name, i) { MONTH_WORDS[name] = i + 1; });
  var SEASONS = { begin: "begin", voorjaar: "voorjaar", lente: "voorjaar", zomer: "zomer", midden: "midden", half: "midden",
                  medio: "midden", najaar: "najaar", herfst: "najaar", eind: "eind", einde: "eind" };
  var WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
  var UNTIL = "(?:-|tot(?: en met)?|t/m)";
  var YEAR = /^(\d{4})$/;
  var WORD_YEAR = /^([a-z]+)\.? (\d{4})$/;
  var DAYS = new RegExp("^(\\d{1,2})(?: ?(?:" + UNTIL + "|en) ?(\\d{1,2}))? ([a-z]+)\\.? (\\d{4})$");
  var ACROSS = new RegExp("^(\\d{1,2}) ([a-z]+)\\.? ?" + UNTIL + " ?(\\d{1,2}) ([a-z]+)\\.? (\\d{4})$");
  var NUMERIC = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/;
  var ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
  var TIME = /^\s*(\d{1,2})(?:\s*[.:u]\s*(\d{2})?)?\s*(?:uur)?\s*$/i;  // MeetingForm's TIME_INPUT_FORMATS

  function normalise(text) {
    var value = text.toLowerCase().replace(/[–—]/g, "-").replace(/,/g, " ").split(/\s+/).filter(Boolean).join(" ");
    value = value.replace(/ ?- ?/g, "-");
    WEEKDAYS.forEach(function (day) { value = value.replace(new RegExp("\\b" + day + "\\b ?", "g"), ""); });
    return value.trim();
  }

  function exists(year, month, day) {
    var d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  }

  // {year, month, day, endDay, endMonth, season} or null, as programmes.dates.parse_meeting_date.
  function parse(text) {
    var v = normalise(text), m, month, endMonth, date = null;
    if ((m = YEAR.exec(v))) { date = { year: +m[1] }; }
    else if ((m = ISO.exec(v))) { date = { year: +m[1], month: +m[2], day: +m[3] }; }
    else if ((m = NUMERIC.exec(v))) { date = { year: +m[3], month: +m[2], day: +m[1] }; }
    else if ((m = WORD_YEAR.exec(v))) {
      if (MONTH_WORDS[m[1]]) { date = { year: +m[2], month: MONTH_WORDS[m[1]] }; }
      else if (SEASONS[m[1]]) { date = { year: +m[2], season: SEASONS[m[1]] }; }
    }
    else if ((m = DAYS.exec(v)) && MONTH_WORDS[m[3]]) {
      date = { year: +m[4], month: MONTH_WORDS[m[3]], day: +m[1], endDay: m[2] ? +m[2] : null };
    }
    else if ((m = ACROSS.exec(v)) && MONTH_WORDS[m[2]] && MONTH_WORDS[m[4]]) {
      month = MONTH_WORDS[m[2]]; endMonth = MONTH_WORDS[m[4]];
      date = { year: +m[5], month: month, day: +m[1], endDay: +m[3], endMonth: endMonth === month ? null : endMonth };
    }
    if (!date || date.year < 2000 || date.year > 2100 || (date.month && (date.month < 1 || date.month > 12))) { return null; }
    if (date.day) {
      if (!exists(date.year, date.month, date.day)) { return null; }
      if (date.endDay) {
        var last = date.endMonth || date.month;
        if (!exists(date.year, last, date.endDay)) { return null; }
        if (Date.UTC(date.year, last - 1, date.endDay) <= Date.UTC(date.year, date.month - 1, date.day)) { return null; }
      }
    }
    return date;
  }

  // Meeting.day_display
  function dayText(d) {
    var month = d.month ? MONTHS[d.month - 1] : "";
    if (d.day && d.endDay) {
      var endMonth = MONTHS[(d.endMonth || d.month) - 1];
      if (endMonth !== month) { return d.day + " " + month + " – " + d.endDay + " " + endMonth + " " + d.year; }
      return d.day + (d.endDay === d.day + 1 ? " en " : "–") + d.endDay + " " + month + " " + d.year;
    }
    if (d.day) { return d.day + " " + month + " " + d.year; }
    if (d.month) { return month + " " + d.year; }
    if (d.season) { return d.season + " " + d.year; }
    return String(d.year);
  }

  function time(text) {
    var match = TIME.exec(text), hour, minutes;
    if (!match) { return ""; }
    hour = parseInt(match[1], 10);
    minutes = match[2] || "00";
    return hour < 24 && parseInt(minutes, 10) < 60 ? hour + "." + minutes : "";
  }

  function display(form) {
    var date = parse(form.elements.date.value);
    if (!date) { return form.elements.date.value.trim() ? "— (deze datum herken ik nog niet)" : "—"; }
    var text = dayText(date), start = time(form.elements.start_time.value), end = time(form.elements.end_time.value);
    if (start && date.day) { text += ", " + start + (end ? "–" + end : "") + " uur"; }
    return text;
  }

  window.kcMeetingDate = { parse: parse, dayText: dayText };  // for tests/browser/test_meeting_date.py

  document.addEventListener("DOMContentLoaded", function () {
    var preview = document.querySelector("[data-date-preview]"), form = preview && preview.closest("form");
    if (!form || !form.elements.date) { return; }
    function update(event) {
      if (["date", "start_time", "end_time"].indexOf(event.target.name) !== -1) { preview.textContent = display(form); }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });
})();
