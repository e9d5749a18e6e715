"""What coach says before anyone practises: what it is, when to stop, when to get help.

Shared by the app's first-run notice and `--plain` (DOMAIN.md section 5).
"""

DISCLAIMER = (
    "coach is a relaxation and self-tracking aid to use alongside your care, not a treatment "
    "and not medical advice. It records how your pain feels before and after each session so "
    "you can see what helps you."
)
STOP_IF = (
    "Stop if you feel dizzy, light-headed, short of breath, or tingly around the mouth or "
    "hands, or if your pain gets worse. Breathe normally and rest."
)
URGENT = (
    "Get urgent help for: numbness around the genitals or buttocks; new trouble peeing, or "
    "loss of bladder or bowel control; weakness or numbness in both legs; chest pain; pain "
    "after a serious accident."
)
SOON = (
    "See a doctor soon for: fever; weight loss you can't explain; a new lump or change in the "
    "shape of your back; pain that is worse at night or doesn't ease with rest; a cramp that "
    "lasts over 10 minutes."
)

FIRST_RUN_NOTICE = (DISCLAIMER, STOP_IF, URGENT, SOON)
