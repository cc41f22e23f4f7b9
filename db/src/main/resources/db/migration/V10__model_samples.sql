-- The grid of generator samples an imported model's validation draws (PNG), shown on its model card;
-- bundle folders keep theirs as samples.png beside the card.
alter table models add column samples_png bytea;
