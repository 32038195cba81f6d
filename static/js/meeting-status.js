/* Meeting form in the back-office: the status a new activity gets when the editor chooses none. The
   empty choice of the status select says it ("vanzelf: gehouden" once the date has passed, else
   "vanzelf: gepland"), kept current while the date is typed. It mirrors Meeting.status_by_date and
   Meeting.span in programmes/models.py; the server decides on save. */
(function () {
  "use strict";
  var PERIOD = {begin: [0, 2], spring: [2, 3], summer: [5, 3], mid: [5, 2], autumn: [8, 3], end: [10, 2]};
  var DAY = /^\s*(\d{1,2})\s*(?:(?:-|–|—|tot|t\/m|en)\s*(\d{1,2}))?\s*$/i;  // MeetingForm's _DAY_RANGE

  function number(form, name) {
    var field = form.elements[name];
    return field && /^\d+$/.test(field.value.trim()) ? parseInt(field.value.trim(), 10) : null;
  }

  /* The day after the last day the date could be, as Meeting.span[1]; null while the year is unknown. */
  function spanEnd(form) {
    var year = number(form, "year"), month = number(form, "month"), days, period;
    if (!year || year < 1000) { return null; }
    days = form.elements.day && DAY.exec(form.elements.day.value);
    if (days && month) {
      var last = days[2] ? parseInt(days[2], 10) : (number(form, "end_day") || parseInt(days[1], 10));
      return new Date(year, (number(form, "end_month") || month) - 1, last + 1);
    }
    if (month) { return new Date(year, month, 1); }
    period = PERIOD[form.elements.period ? form.elements.period.value : ""];
    return period ? new Date(year, period[0] + period[1], 1) : new Date(year + 1, 0, 1);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-status-by-date]"), form = select && select.form;
    if (!form) { return; }
    var automatic = select.querySelector('option[value=""]'), base = "vanzelf: ";
    function update() {
      var end = spanEnd(form), today = new Date();
      today.setHours(0, 0, 0, 0);
      if (end === null) {
        automatic.textContent = base + "gehouden als de datum voorbij is, anders gepland";
      } else {
        automatic.textContent = base + (end <= today ? "gehouden (de datum is voorbij)" : "gepland (de datum moet nog komen)");
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
}());
