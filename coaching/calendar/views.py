"""Calendar pages and files: feeds, .ics downloads, answers, feed links, publishing a series."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coaching.attendance.models import Answer
from coaching.calendar import events, feeds, ical, invitations, links, rsvp, services
from coaching.cohorts.models import Cohort
from coaching.core.errors import DomainError
from coaching.core.i18n import use_language
from coaching.core.limits import FEED_LIMIT, LINK_LIMIT
from coaching.core.permissions import get_scoped_or_404, member_required, staff_required
from coaching.core.urls import external_url
from coaching.extensions import db, limiter
from coaching.organisations.models import Region
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession

bp = Blueprint("calendar", __name__)

ICS_TYPE = "text/calendar; charset=utf-8"
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


@bp.app_template_global()
def calendar_links(session: CoachingSession, ics_url: str | None = None) -> links.AddLinks:
    """Add-to-calendar links for the session page (`templates/calendar/_add_links.html`)."""
    ics = ics_url or url_for("calendar.session_ics", session_id=session.id)
    return links.add_links(events.session_event(session), ics)


def _feed_response(spec: feeds.FeedSpec) -> Response:
    fp = feeds.fingerprint(spec)
    headers = {**PRIVATE_HEADERS, "ETag": f'"{fp.etag}"', "Cache-Control": "private, max-age=900"}
    not_modified = (request.if_none_match.contains(fp.etag) if request.if_none_match
                    else bool(request.if_modified_since and request.if_modified_since >= fp.last_modified))
    response = Response(status=304) if not_modified else Response(feeds.build(spec), mimetype="text/calendar")
    response.headers.update(headers)
    response.headers["Content-Type"] = ICS_TYPE
    response.last_modified = fp.last_modified
    return response


def _ics_download(text: str, filename: str = "termin.ics") -> Response:
    disposition = f'attachment; filename="{filename}"'
    response = Response(text, headers={**PRIVATE_HEADERS, "Content-Disposition": disposition})
    response.headers["Content-Type"] = ICS_TYPE
    return response


@bp.get("/kalender/<token>.ics")
@limiter.limit(FEED_LIMIT)
def person_feed(token: str):
    person = feeds.person_by_token(token) or abort(404)
    return _feed_response(feeds.person_spec(person))


@bp.get("/kalender/kohorte/<token>.ics")
@limiter.limit(FEED_LIMIT)
def cohort_feed(token: str):
    cohort = feeds.cohort_by_token(token) or abort(404)
    return _feed_response(feeds.cohort_spec(cohort))


@bp.get("/kalender/region/<int:region_id>.ics")
def region_feed(region_id: int):
    region = db.session.get(Region, region_id) or abort(404)
    return _feed_response(feeds.region_spec(region))


@bp.get("/kalender/oeffentlich")
def public_feeds():
    regions = db.session.scalars(select(Region).order_by(Region.name)).all()
    feed_links = {r.id: links.feed_links(external_url("calendar.region_feed", region_id=r.id))
                  for r in regions}
    return render_template("calendar/public_feeds.html", regions=regions, feed_links=feed_links)


@bp.get("/termine/<int:session_id>/termin.ics")
@member_required
def session_ics(session_id: int):
    session = get_scoped_or_404(CoachingSession, session_id, current_user,
                                organisation_of=lambda s: s.cohort.organisation_id)
    return _ics_download(ical.single_download(events.session_event(session)))


# ------------------------------------------------------------------------------- answers from email links


@bp.route("/antwort/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def rsvp_page(token: str):
    link = rsvp.load_link(token)
    use_language(link.attendance.person.preferred_language)
    chosen = request.values.get("antwort", "accepted")
    if request.method == "POST" and not (link.expired or link.outdated):
        try:
            answer = Answer(request.form.get("antwort", ""))
            rsvp.answer_from_link(link, answer)
        except (ValueError, DomainError):
            flash(_("Diese Antwort ist hier nicht möglich."), "danger")
            return render_template("calendar/rsvp.html", link=link, token=token, chosen=chosen), 400
        return render_template("calendar/rsvp_done.html", link=link, answer=answer, token=token)
    return render_template("calendar/rsvp.html", link=link, token=token, chosen=chosen,
                           current_token=rsvp.make_token(link.attendance,
                                                         link.attendance.invited_sequence or 0))


@bp.post("/antwort/<token>/neuer-link")
@limiter.limit(LINK_LIMIT)
def rsvp_resend(token: str):
    link = rsvp.load_link(token)
    use_language(link.attendance.person.preferred_language)
    sent = services.send_fresh_rsvp_link(link.attendance)
    return render_template("calendar/link_sent.html", sent=sent)


@bp.get("/antwort/<token>/termin.ics")
@limiter.limit(LINK_LIMIT)
def rsvp_ics(token: str):
    link = rsvp.load_link(token)
    return _ics_download(ical.single_download(events.session_event(link.attendance.session)))


# -------------------------------------------------------------------------------------- feed links


@bp.route("/kalender/erneuern/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT)
def renew_person_feed(token: str):
    person, expired = services.person_for_renew_token(token)
    use_language(person.preferred_language)
    if request.method == "POST" and not expired:
        return render_template("calendar/feed_links.html", person=person,
                               feed=services.renew_person_feed(person))
    return render_template("calendar/renew_feed.html", person=person, token=token, expired=expired)


@bp.post("/kalender/erneuern/<token>/neuer-link")
@limiter.limit(LINK_LIMIT)
def renew_person_feed_resend(token: str):
    person, _expired = services.person_for_renew_token(token)
    use_language(person.preferred_language)
    return render_template("calendar/link_sent.html", sent=services.send_fresh_feed_link(person))


@bp.route("/personen/<int:person_id>/kalender", methods=["GET", "POST"])
@staff_required
def person_calendar(person_id: int):
    person = get_scoped_or_404(Person, person_id, current_user)
    feed = services.renew_person_feed(person, current_user) if request.method == "POST" else None
    return render_template("calendar/person_calendar.html", person=person, feed=feed)


@bp.route("/kohorten/<int:cohort_id>/kalender", methods=["GET", "POST"])
@staff_required
def cohort_calendar(cohort_id: int):
    cohort = get_scoped_or_404(Cohort, cohort_id, current_user)
    feed = services.renew_cohort_feed(cohort, current_user) if request.method == "POST" else None
    return render_template("calendar/cohort_calendar.html", cohort=cohort, feed=feed)


@bp.post("/kohorten/<int:cohort_id>/veroeffentlichen")
@staff_required
def publish_cohort(cohort_id: int):
    cohort = get_scoped_or_404(Cohort, cohort_id, current_user, options=[joinedload(Cohort.organisation)])
    try:
        count = invitations.publish_cohort(cohort, current_user)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        if cohort.invitations_requested_at:
            flash(_("Die Reihe ist veröffentlicht. Die Einladungen werden im Hintergrund vorbereitet und "
                    "verschickt; den Fortschritt sehen Sie unter „Versand“."), "success")
        else:
            flash(_("Die Reihe ist veröffentlicht. %(count)s Einladungen werden verschickt.", count=count),
                  "success")
    return redirect(url_for("calendar.cohort_calendar", cohort_id=cohort.id))
