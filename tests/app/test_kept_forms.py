"""What every session would otherwise build again: the page form of a figure the service keeps,
and the Arrow form of a table it keeps, are made once per object and handed out again, with
public APIs only (plotly, pyarrow), and what is sent is what Streamlit would send."""

from datetime import date

import pandas as pd
import pyarrow as pa

from zi_dashboard.app import service
from zi_dashboard.app.ui import chart_widgets, kept

AS_OF = date(2025, 11, 15)


def test_a_kept_figure_is_drawn_in_its_page_form_once_and_stays_as_the_service_made_it(temp_db):
    ctx = service.context_for(AS_OF)
    fig = service.figure("components", ctx)
    title = fig.layout.title.text
    first = kept.once(chart_widgets.page_form, fig, "components")
    again = kept.once(chart_widgets.page_form, service.figure("components", ctx), "components")
    assert again is first  # the same object for every run and session
    assert fig.layout.title.text == title  # the service's figure keeps its title
    assert not first.layout.title.text and first.layout.margin.t == 80
    assert first.to_dict()["data"] == chart_widgets.page_form(fig, "components").to_dict()["data"]


def test_a_kept_table_goes_as_arrow_made_once_and_as_streamlit_converts_it():
    table = pd.DataFrame({"Kode": ["1.1", "1.2"], "Progres": [40.0, 100.0]})
    arrow = kept.arrow(table)
    assert isinstance(arrow, pa.Table) and arrow.equals(pa.Table.from_pandas(table))
    assert kept.arrow(table) is arrow
    other = table.copy()  # equal content, another object: its own entry
    assert kept.arrow(other) is not arrow


def test_a_table_arrow_cannot_take_goes_as_it_is():
    mixed = pd.DataFrame({"x": [1, "dua", 3.0]})
    assert kept.arrow(mixed) is mixed
