/* Meeting form in the back-office: "Zo verschijnt het" follows the date and time fields while the editor
   types. It mirrors Meeting.date_display in programmes/models.py; the text the server rendered on load is
   the truth, so nothing changes until a field does. Month and season names come from the selects. */
(function () {
  "use strict";
  var DAYS = /^\s*(\d{1,2})\s*(?:(?:-|–|—|tot|t\/m|en)\s*(\d{1,2}))?\s*$/i;  // MeetingForm's _DAY_RANGE
  var TIME = /^\s*(\d{1,2})(?:\s*[.:u]\s*(\d{2})?)?\s*(?:uur)?\s*$/i;  // MeetingForm's TIME_INPUT_FORMATS
  var FIELDS = ["day", "month", "year", "period", "start_time", "end_time", "end_month", "end_day"];

  function value(form, name) {
    var field = form.elements[name];
    return field ? field.value.trim() : "";
  }

  function label(form, name) {
    var select = form.elements[name];
    return select && select.value ? select.options[select.selectedIndex].text : "";
  }

  function time(text) {
    var match = TIME.exec(text), hour, minutes;
    if (!match) { return ""; }
    hour = parseInt(match[1], 10);
    minutes = match[2] || "00";
    return hour < 24 && parseInt(minutes, 10) < 60 ? hour + "." + minutes : "";
  }

  function dayText(form, year) {
    var days = DAYS.exec(value(form, "day")), month = label(form, "month");
    if (days && month) {
      var day = parseInt(days[1], 10);
      var end = days[2] ? parseInt(days[2], 10) : parseInt(value(form, "end_day"), 10);
      if (end) {
        var endMonth = label(form, "end_month") || month;
        if (endMonth !== month) { return day + " " + month + " – " + end + " " + endMonth + " " + year; }
        return day + (end === day + 1 ? " en " : "–") + end + " " + month + " " + year;
      }
      return day + " " + month + " " + year;
    }
    if (month) { return month + " " + year; }
    var period = label(form, "period");
    return period ? period + " " + year : year;
  }

  function display(form) {
    var year = value(form, "year");
    if (!/^\d{4}$/.test(year)) { return "—"; }
    var text = dayText(form, year), start = time(value(form, "start_time")), end = time(value(form, "end_time"));
    if (start && DAYS.test(value(form, "day"))) { text += ", " + start + (end ? "–" + end : "") + " uur"; }
    return text;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var preview = document.querySelector("[data-date-preview]"), form = preview && preview.closest("form");
    if (!form) { return; }
    function update(event) {
      if (FIELDS.indexOf(event.target.name) !== -1) { preview.textContent = display(form); }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  });
})();
