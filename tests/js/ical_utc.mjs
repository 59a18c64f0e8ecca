// Reads one iCalendar object on stdin and prints, as JSON, what Mozilla ical.js (the Thunderbird parser)
// understands from it: the METHOD and, for each VEVENT, its UID, SEQUENCE, STATUS and UTC start/end.
// VTIMEZONEs of the object are registered first, so TZID times are converted with the object's own rules.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(0, "utf8");
const root = new ICAL.Component(ICAL.parse(text));
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
}
const utc = (time) => (time ? time.convertToZone(ICAL.Timezone.utcTimezone).toString() : null);
const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    summary: event.summary,
    tzid: vevent.getFirstProperty("dtstart").getParameter("tzid") || null,
    start_utc: utc(event.startDate),
    end_utc: utc(event.endDate),
    attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
  };
});
process.stdout.write(JSON.stringify({ method: root.getFirstPropertyValue("method"), events }));
