from django.db import models


class ConversionJob(models.Model):
    pass


class Commune(models.Model):
    code = models.CharField(max_length=5, primary_key=True)
    name = models.CharField(max_length=100)
    province_id = models.CharField(max_length=2)
