"""ZI Dashboard: the router and the shared sidebar (zi_dashboard/app/ui/router.py).  `streamlit run app.py`"""

from zi_dashboard.app import ui

ui.route().run()
