"""One router per area of the web app: map, territories, seeds (cited-line viewer), about, api, assets."""
